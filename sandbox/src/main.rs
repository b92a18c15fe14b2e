//! `iamport-sandbox [--host 127.0.0.1] [--port 0] [--imp-key K] [--imp-secret S]
//! [--token-ttl SECONDS] [--slow-ms MS] [--webhook-url URL] [--strict] [--quiet]`
//!
//! Prints the URL it listens on as its first line of standard output.

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

use iamport_sandbox::{Config, Sandbox};

const USAGE: &str = "usage: iamport-sandbox [--host 127.0.0.1] [--port 0] [--imp-key sandbox_key] \
[--imp-secret sandbox_secret] [--token-ttl 1800] [--slow-ms 2000] [--webhook-url http://host:port/path] \
[--strict] [--quiet]";

fn parse_args() -> Result<(SocketAddr, Config), String> {
    let mut config = Config {
        log: true,
        ..Config::default()
    };
    let mut host: IpAddr = IpAddr::from([127, 0, 0, 1]);
    let mut port: u16 = 0;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--host" => {
                host = value("--host")?
                    .parse()
                    .map_err(|_| "--host must be an IP address".to_owned())?
            }
            "--port" => {
                port = value("--port")?
                    .parse()
                    .map_err(|_| "--port must be 0-65535".to_owned())?
            }
            "--imp-key" => config.imp_key = value("--imp-key")?,
            "--imp-secret" => config.imp_secret = value("--imp-secret")?,
            "--token-ttl" => {
                config.token_ttl = value("--token-ttl")?
                    .parse()
                    .map_err(|_| "--token-ttl must be seconds".to_owned())?
            }
            "--slow-ms" => {
                config.slow_ms = value("--slow-ms")?
                    .parse()
                    .map_err(|_| "--slow-ms must be milliseconds".to_owned())?
            }
            "--webhook-url" => {
                let url = value("--webhook-url")?;
                if url.starts_with("https://") {
                    eprintln!("[sandbox] --webhook-url: https is not supported; every delivery will be recorded as failed");
                } else if !url.starts_with("http://") {
                    return Err(format!("--webhook-url must be an http:// URL\n{USAGE}"));
                }
                config.webhook_url = Some(url);
            }
            "--strict" => config.strict = true,
            "--quiet" => config.log = false,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown flag {other}\n{USAGE}")),
        }
    }
    Ok((SocketAddr::new(host, port), config))
}

#[tokio::main]
async fn main() -> ExitCode {
    let (addr, config) = match parse_args() {
        Ok(v) => v,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("iamport-sandbox: cannot bind {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    println!("http://{local}");
    eprintln!(
        "[sandbox] imp_key={} token_ttl={}s{}; test cards at http://{local}/__sandbox/cards",
        config.imp_key,
        config.token_ttl,
        if config.strict { " strict" } else { "" }
    );
    let sandbox = Sandbox::new(config);
    tokio::select! {
        r = sandbox.serve(listener) => {
            if let Err(e) = r {
                eprintln!("iamport-sandbox: {e}");
                return ExitCode::FAILURE;
            }
        }
        _ = tokio::signal::ctrl_c() => {}
    }
    ExitCode::SUCCESS
}
