//! The studio's page: mounts the Yew app into `<body>`.

fn main() {
    yew::Renderer::<spine_web::App>::new().render();
}
