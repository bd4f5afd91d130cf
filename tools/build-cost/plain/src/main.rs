#[derive(serde::Deserialize, Debug)]
struct Answer { id: String }
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let answer: Answer = reqwest::Client::new().get("http://127.0.0.1:1/").send().await?.json().await?;
    println!("{answer:?}");
    Ok(())
}
