// The whole Rust side: the shell plugin, which the frontend uses to spawn the sidecar
// (`Command.sidecar('binaries/execution-engine', ['serve', '--stdio'])`, allowed by
// capabilities/default.json). The sidecar needs nothing else from Rust: it exits by itself, stopping
// every command it started, when its stdin closes or this process dies (quit, force-quit, crash,
// update), so none is left running.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tauri::Builder::default()
        .plugin(tauri_plugin_shell::init())
        .run(tauri::generate_context!())
        .expect("error while running the application");
}
