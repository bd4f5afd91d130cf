//! Runs the emulator: `wix-opr-emulator --port 8080`.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let port = args
        .iter()
        .position(|a| a == "--port")
        .and_then(|i| args.get(i + 1))
        .and_then(|p| p.parse().ok())
        .unwrap_or(8080);
    let emu = wix_opr_emulator::Emulator::start_on(port).await?;
    println!("{}", emu.base_url());
    tokio::signal::ctrl_c().await?;
    Ok(())
}
