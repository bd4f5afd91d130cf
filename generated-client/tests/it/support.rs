//! A small real HTTP server for wire-format tests: it records every request it receives and
//! answers each with the next scripted response.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use wix_order_payment_requests::{raw::Client, ClientContext, Credentials};

/// The site id and the API key the test clients send.
pub use wix_order_payment_requests::testing::{API_KEY, SITE_ID};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A scripted answer.
#[derive(Debug, Clone)]
pub struct Scripted {
    pub status: StatusCode,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Scripted {
    /// A JSON answer with an `X-Wix-Request-Id`.
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap(),
            headers: vec![
                ("content-type", "application/json".into()),
                ("x-wix-request-id", "req-1234567890".into()),
            ],
            body: body.to_string(),
        }
    }

    /// A raw answer.
    pub fn raw(status: u16, content_type: &str, body: &str) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap(),
            headers: vec![
                ("content-type", content_type.to_string()),
                ("x-wix-request-id", "req-raw".into()),
            ],
            body: body.to_string(),
        }
    }
}

#[derive(Default)]
struct Shared {
    recorded: Vec<Recorded>,
    script: VecDeque<Scripted>,
}

/// A server on a loopback port; it stops when dropped.
pub struct TestServer {
    pub base_url: String,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    /// Starts a server that answers with `script`, in order.
    pub async fn start(script: Vec<Scripted>) -> Self {
        let shared = Arc::new(Mutex::new(Shared {
            recorded: Vec::new(),
            script: script.into(),
        }));
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            base_url,
            shared,
            task,
        }
    }

    /// A client for this server with the test credentials.
    pub fn client(&self) -> Client {
        Client::new(
            &self.base_url,
            ClientContext::new(
                Credentials::api_key_for_site(API_KEY, SITE_ID).expect("a GUID site id"),
            ),
        )
    }

    /// Every request received so far.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.shared.lock().unwrap().recorded.clone()
    }

    /// The only request received; fails if there were more or none.
    pub fn single(&self) -> Recorded {
        let all = self.recorded();
        assert_eq!(all.len(), 1, "expected one request, got {all:?}");
        all.into_iter().next().unwrap()
    }
}

async fn handle(
    State(shared): State<Arc<Mutex<Shared>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut shared = shared.lock().unwrap();
    shared.recorded.push(Recorded {
        method,
        path: uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        headers,
        body,
    });
    match shared.script.pop_front() {
        Some(answer) => {
            let mut response = (answer.status, answer.body).into_response();
            for (name, value) in answer.headers {
                response.headers_mut().insert(name, value.parse().unwrap());
            }
            response
        }
        None => (StatusCode::IM_A_TEAPOT, "no scripted response left").into_response(),
    }
}
