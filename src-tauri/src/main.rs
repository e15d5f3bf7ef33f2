// Hide the console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]
#![forbid(unsafe_code)]

/// mimalloc: an import allocates many small strings on two threads, where glibc malloc is slow.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    if let Err(e) = breachdesk_app_lib::run() {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}
