//! `cartwire emulate` and `cartwire completions`, and every subcommand's `--help` example,
//! run as written (in `bash -o pipefail`, with the services it names started first).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::Value;

/// How long to wait for a line before calling the test hung (a guard, not a timing check).
const HANG: Duration = Duration::from_secs(30);

/// The environment variables the command reads, removed from every run.
const COMMAND_ENV: [&str; 4] = [
    "CARTWIRE_SECRET",
    "CARTFUNNEL_API_SECRET",
    "CARTFUNNEL_ACCOUNT",
    "CARTSTACK_API_KEY",
];

/// A `cartwire` that serves until killed (`emulate`, `listen`); killed when dropped.
struct Service {
    child: Child,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Service {
    fn start(args: &[&str]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cartwire"));
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for name in COMMAND_ENV {
            command.env_remove(name);
        }
        let mut child = command.spawn().expect("the cartwire binary runs");
        let stdout = lines(child.stdout.take().unwrap());
        let stderr = lines(child.stderr.take().unwrap());
        Self {
            child,
            stdout,
            stderr,
        }
    }

    fn stdout_line(&self) -> String {
        self.stdout.recv_timeout(HANG).expect("a line on stdout")
    }

    fn stderr_line(&self) -> String {
        self.stderr.recv_timeout(HANG).expect("a line on stderr")
    }

    /// `cartwire emulate`'s first lines, `name=value`, until `last` (the names repeat for
    /// carts: values joined by spaces).
    fn announced(&self, last: &str) -> BTreeMap<String, String> {
        let mut values = BTreeMap::<String, String>::new();
        loop {
            let line = self.stdout_line();
            let (name, value) = line.split_once('=').expect("name=value");
            values
                .entry(name.to_owned())
                .and_modify(|v| {
                    v.push(' ');
                    v.push_str(value);
                })
                .or_insert_with(|| value.to_owned());
            if name == last {
                return values;
            }
        }
    }
}

fn lines(stream: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn emulate_cartstack_prints_what_to_use_and_answers_it() {
    let service = Service::start(&["emulate", "cartstack"]);
    let values = service.announced("failing_cart");
    let url = &values["url"];
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(url.ends_with("/ss/v1/"), "{url}");
    assert!(!url.ends_with(":0/ss/v1/"), "{url}");
    let open: Vec<&str> = values["open_cart"].split(' ').collect();
    assert_eq!(open.len(), 3);
    assert!(service.stderr_line().contains("until stopped"));

    let confirm = |email: &str| {
        common::cartwire(
            &[
                "cartstack",
                "confirm",
                "--endpoint",
                url,
                "--site-id",
                &values["site_id"],
                "--email",
                email,
            ],
            &[("CARTSTACK_API_KEY", &values["key"])],
            b"",
        )
    };
    for email in &open {
        let output = confirm(email);
        assert_eq!(output.status.code(), Some(0), "{email}: {output:?}");
        assert_eq!(stdout_json(&output)["outcome"], "success");
    }
    for (email, outcome) in [
        (open[0], "cart_not_found"),
        (values["purchased_cart"].as_str(), "cart_not_found"),
        (values["failing_cart"].as_str(), "insert_failed"),
        ("nobody@example.com", "no_cart"),
    ] {
        let output = confirm(email);
        assert_eq!(output.status.code(), Some(1), "{email}: {output:?}");
        assert_eq!(stdout_json(&output)["outcome"], outcome, "{email}");
    }
    // Each request is logged on stderr, in order.
    for _ in 0..open.len() + 4 {
        let line = service.stderr_line();
        assert!(line.starts_with("cartwire: GET /ss/v1/?key="), "{line}");
        assert!(line.ends_with(" -> 200"), "{line}");
    }
}

#[test]
fn emulate_cartfunnel_prints_what_to_use_and_pages() {
    let service = Service::start(&["emulate", "cartfunnel", "--port", "0"]);
    let values = service.announced("customers");
    let url = &values["url"];
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/v1"),
        "{url}"
    );
    assert_eq!(values["customers"], "250");
    let api = |args: &[&str]| {
        let mut full = vec!["cartfunnel", "customers"];
        full.extend_from_slice(args);
        full.extend_from_slice(&["--account", &values["account"], "--base-url", url]);
        common::cartwire(
            &full,
            &[("CARTFUNNEL_API_SECRET", &values["api_secret"])],
            b"",
        )
    };
    let all = stdout_json(&api(&["list", "--all"]));
    assert_eq!(all.as_array().unwrap().len(), 250);
    let third = stdout_json(&api(&["list", "--page", "3"]));
    assert_eq!(third.as_array().unwrap().len(), 50);
    assert_eq!(third[49]["id"], 250);
    // Three pages for --all (the last one short), then one.
    assert!(service.stderr_line().contains("until stopped"));
    let logged: Vec<String> = (0..4).map(|_| service.stderr_line()).collect();
    assert_eq!(
        logged,
        [
            "cartwire: GET /v1/customers.json -> 200",
            "cartwire: GET /v1/customers.json?page=2 -> 200",
            "cartwire: GET /v1/customers.json?page=3 -> 200",
            "cartwire: GET /v1/customers.json?page=3 -> 200",
        ]
    );
}

#[test]
fn emulate_on_a_taken_port_exits_4() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = common::cartwire(&["emulate", "cartstack", "--port", &port], &[], b"");
    assert_eq!(output.status.code(), Some(4), "{output:?}");
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot start the emulator"), "{stderr}");
    let unknown = common::cartwire(&["emulate", "cartloom"], &[], b"");
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn completions_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish"] {
        let output = common::cartwire(&["completions", shell], &[], b"");
        assert_eq!(output.status.code(), Some(0), "{shell}: {output:?}");
        let script = String::from_utf8(output.stdout).unwrap();
        for word in [
            "decode",
            "encode",
            "sign",
            "send",
            "samples",
            "listen",
            "cartfunnel",
            "cartstack",
            "emulate",
            "completions",
            "confirm",
        ] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    let output = common::cartwire(&["completions", "tcsh"], &[], b"");
    assert_eq!(output.status.code(), Some(2));
}

/// Every command path, from `cartwire --help` down through each "Commands:" list.
fn command_paths() -> Vec<Vec<String>> {
    let mut paths = vec![Vec::<String>::new()];
    let mut index = 0;
    while let Some(path) = paths.get(index).cloned() {
        index += 1;
        for name in subcommands(&help(&path)) {
            let mut child = path.clone();
            child.push(name);
            paths.push(child);
        }
    }
    paths
}

fn help(path: &[String]) -> String {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let output = common::cartwire(&args, &[], b"");
    assert_eq!(output.status.code(), Some(0), "{path:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        // A name is indented by two spaces; a wrapped description, deeper.
        .filter_map(|line| line.strip_prefix("  "))
        .filter(|line| !line.starts_with(' '))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// The one example of a help text: the command line, and the service it needs running
/// (from "Example (with `…` running):").
fn example(help: &str) -> (String, Option<String>) {
    let mut lines = help.lines().skip_while(|line| !line.starts_with("Example"));
    let header = lines.next().expect("an Example: section");
    let rest: Vec<&str> = lines.collect();
    let starts: Vec<usize> = (0..rest.len())
        .filter(|i| rest[*i].starts_with("  $ "))
        .collect();
    assert_eq!(starts.len(), 1, "one example: {help}");
    // The command and its `\`-continued lines, kept within 80 columns so that clap never
    // wraps them; bash reads the continuations as written.
    let mut command = rest[starts[0]]["  $ ".len()..].to_owned();
    for line in &rest[starts[0]..] {
        assert!(line.len() <= 80, "an example line over 80 columns: {line}");
    }
    for line in &rest[starts[0] + 1..] {
        if !command.ends_with('\\') {
            break;
        }
        command.push('\n');
        command.push_str(line);
    }
    assert!(!command.ends_with('\\'), "{help}");
    let service = header
        .split_once("(with `")
        .and_then(|(_, rest)| rest.split_once("` running)"))
        .map(|(service, _)| service.to_owned());
    (command, service)
}

/// Starts a `cartwire emulate|listen …` command line on a free port, and returns it with the
/// address it took the place of (`127.0.0.1:8480`) and the address it got.
fn start_service(line: &str) -> (Service, String, String) {
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words[0], "cartwire", "{line}");
    let port_at = words.iter().position(|w| *w == "--port").unwrap() + 1;
    let written = format!("127.0.0.1:{}", words[port_at]);
    let mut args = words[1..].to_vec();
    args[port_at - 1] = "0";
    let service = Service::start(&args);
    let announced = if words[1] == "emulate" {
        service.stdout_line()
    } else {
        service.stderr_line()
    };
    let start = announced
        .find("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("no address in {announced:?}"))
        + "http://".len();
    let address: String = announced[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
        .collect();
    assert!(!address.ends_with(":0"), "{announced}");
    (service, written, address)
}

#[test]
fn every_help_shows_one_example_that_works() {
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_cartwire"))
        .parent()
        .unwrap()
        .to_owned();
    let path_var = match std::env::var_os("PATH") {
        Some(path) => {
            let mut dirs = vec![bin_dir.clone()];
            dirs.extend(std::env::split_paths(&path));
            std::env::join_paths(dirs).unwrap()
        }
        None => bin_dir.clone().into_os_string(),
    };
    let paths = command_paths();
    for expected in [
        &["completions"][..],
        &["cartstack", "confirm"],
        &["cartfunnel", "customers", "update"],
        &["cartfunnel", "webhook", "verify"],
    ] {
        assert!(paths.iter().any(|path| path == expected), "{paths:?}");
    }
    assert_eq!(paths.len(), 21, "{paths:?}");
    for (n, path) in paths.iter().enumerate() {
        let help = help(path);
        let (line, service) = example(&help);
        assert!(line.contains("cartwire "), "{path:?}: {line}");
        // The long-running commands: started, they must announce where they listen.
        if line.starts_with("cartwire emulate ") || line.starts_with("cartwire listen ") {
            drop(start_service(&line));
            continue;
        }
        let (_service, line) = match service {
            Some(service) => {
                let (service, written, address) = start_service(&service);
                assert!(line.contains(&written), "{path:?}: {line}");
                let line = line.replace(&written, &address);
                (Some(service), line)
            }
            None => (None, line),
        };
        let dir =
            std::env::temp_dir().join(format!("cartwire-help-example-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // pipefail: a pipeline fails when any of its commands does, not only the last.
        let mut command = Command::new("bash");
        command
            .args(["-o", "pipefail", "-c", &line])
            .current_dir(&dir)
            .env("PATH", &path_var)
            .stdin(Stdio::null());
        for name in COMMAND_ENV {
            command.env_remove(name);
        }
        let output = command.output().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{path:?}: {line}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        if !line.contains(" > ") {
            assert!(
                !output.stdout.is_empty(),
                "{path:?}: {line} printed nothing"
            );
        }
    }
}
