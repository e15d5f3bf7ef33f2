// Hide the console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(e) = breachdesk_app_lib::run() {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}
