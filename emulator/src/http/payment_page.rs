//! The emulator's payment page: what a customer sees at `orderPaymentRequestUrl`.
//!
//! Pure rendering: the handlers of `GET /_emulator/pay/{id}` and `POST /_emulator/pay/{id}` build
//! a [`PageView`] from the stored payment request and call [`render_page`], [`render_paid`] or
//! [`render_refused`]. The pages are self-contained (inline CSS, no scripts, no external
//! resources apart from the request's own image) and every text is HTML-escaped.
//!
//! Stable element ids, for tests and browser automation: `#title`, `#description`, `#amount`,
//! `#currency`, `#order-number`, `#image`, `#status`, `#pay-form`, `#pay`, `#method-card`,
//! `#method-manual`, `#message` and, on the confirmation page, `#confirmation`.
//!
//! The form posts `application/x-www-form-urlencoded` `method=CARD` or `method=MANUAL` (see
//! [`PayForm`] and [`PaymentMethod`]) to the page's own path.

use std::fmt::Write as _;

use serde::Deserialize;
use uuid::Uuid;

/// Everything the payment page shows about one payment request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageView {
    /// Payment request id (the form posts to `/_emulator/pay/{id}`).
    pub id: Uuid,
    /// Title of the payment request.
    pub title: String,
    /// Description, if any.
    pub description: Option<String>,
    /// Amount as shown to customers, e.g. `$15.50`.
    pub formatted_amount: String,
    /// ISO-4217 currency code, e.g. `USD`.
    pub currency: String,
    /// Image URL; shown only for `http`, `https` and `data:image/` URLs.
    pub image_url: Option<String>,
    /// Alternative text of the image.
    pub image_alt: Option<String>,
    /// `UNPAID`, `PAID`, `EXPIRED` or `VOIDED` (other values are shown as they are).
    pub status: String,
    /// Whether the `MANUAL` payment method is offered (false when it is blocked).
    pub manual_allowed: bool,
    /// Number of the order being paid, if known.
    pub order_number: Option<String>,
}

/// A payment method the page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentMethod {
    /// Card payment (always offered).
    Card,
    /// Manual (offline) payment; offered unless blocked by `blockedPaymentMethods`.
    Manual,
}

impl PaymentMethod {
    /// The form value: `CARD` or `MANUAL`.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Card => "CARD",
            PaymentMethod::Manual => "MANUAL",
        }
    }

    /// Reads a form value (case-insensitive); `None` for anything else.
    pub fn from_form_value(value: &str) -> Option<Self> {
        match value.trim().to_ascii_uppercase().as_str() {
            "CARD" => Some(PaymentMethod::Card),
            "MANUAL" => Some(PaymentMethod::Manual),
            _ => None,
        }
    }
}

/// The body of the Pay form (`axum::Form<PayForm>`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PayForm {
    /// The chosen method as sent (`CARD` or `MANUAL`); absent means `CARD`.
    #[serde(default)]
    pub method: Option<String>,
}

impl PayForm {
    /// Reads a form body (`application/x-www-form-urlencoded`) leniently: an empty or
    /// unreadable body, or one without `method`, means no choice (`CARD`).
    pub fn from_body(body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
        let method = text
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| url_decode(key) == "method")
            .map(|(_, value)| url_decode(value));
        Self { method }
    }

    /// The chosen method, checked against the view: `Err` holds the reason to show with
    /// [`render_refused`] (unknown method, or `MANUAL` while it is blocked).
    pub fn method_for(&self, view: &PageView) -> Result<PaymentMethod, String> {
        let Some(raw) = self.method.as_deref() else {
            return Ok(PaymentMethod::Card);
        };
        match PaymentMethod::from_form_value(raw) {
            None => Err(format!("Unknown payment method \"{raw}\".")),
            Some(PaymentMethod::Manual) if !view.manual_allowed => {
                Err("Manual payment is not available for this payment request.".to_string())
            }
            Some(method) => Ok(method),
        }
    }
}

/// Decodes one `application/x-www-form-urlencoded` component (`+` and `%XX`); bad escapes are
/// kept as they are.
fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Why a payment request in `status` can't be paid, or `None` when it can (`UNPAID`).
pub fn refusal_reason(status: &str) -> Option<String> {
    match status {
        "UNPAID" => None,
        "PAID" => Some("This payment request has already been paid.".to_string()),
        "EXPIRED" => {
            Some("This payment request has expired and can no longer be paid.".to_string())
        }
        "VOIDED" => Some("This payment request was voided and can no longer be paid.".to_string()),
        other => Some(format!(
            "This payment request can't be paid (status {other})."
        )),
    }
}

/// The payment page: details, status and, only while `UNPAID`, the Pay form (with the `MANUAL`
/// option unless it is blocked). In any other status, `#message` says why it can't be paid.
pub fn render_page(view: &PageView) -> String {
    let action = match refusal_reason(&view.status) {
        None => pay_form(view),
        Some(reason) => message(&reason, Tone::Error),
    };
    document(view, &action)
}

/// The confirmation shown after a successful payment.
pub fn render_paid(view: &PageView) -> String {
    let text = format!("Payment of {} received. Thank you!", view.formatted_amount);
    let body = format!(
        "<h2 id=\"confirmation\">Payment received</h2>{}",
        message(&text, Tone::Success)
    );
    document(view, &body)
}

/// The page shown when paying is refused (the request is `PAID`, `EXPIRED` or `VOIDED`, or the
/// method is not allowed): the details and `reason` in `#message`, no Pay form.
pub fn render_refused(view: &PageView, reason: &str) -> String {
    document(view, &message(reason, Tone::Error))
}

/// The page for an id that matches no payment request.
pub fn render_not_found() -> String {
    let body = message("No payment request has this id.", Tone::Error);
    page_shell("Payment request not found", &body)
}

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Tone {
    Success,
    Error,
}

fn message(text: &str, tone: Tone) -> String {
    let (class, role) = match tone {
        Tone::Success => ("success", "status"),
        Tone::Error => ("error", "alert"),
    };
    format!(
        "<p id=\"message\" class=\"message {class}\" role=\"{role}\">{}</p>",
        escape(text)
    )
}

/// A whole page for one payment request, with `action` (form or message) under the details.
fn document(view: &PageView, action: &str) -> String {
    let body = format!("{}{}{action}", image(view), details(view));
    page_shell(&view.title, &body)
}

fn details(view: &PageView) -> String {
    let mut out = format!("<h1 id=\"title\">{}</h1>", escape(&view.title));
    if let Some(d) = view.description.as_deref().filter(|d| !d.is_empty()) {
        let _ = write!(out, "<p id=\"description\">{}</p>", escape(d));
    }
    let _ = write!(
        out,
        "<p class=\"amount\"><span id=\"amount\">{}</span> <span id=\"currency\">{}</span></p>",
        escape(&view.formatted_amount),
        escape(&view.currency)
    );
    let _ = write!(out, "<dl>{}{}</dl>", status_row(view), order_row(view));
    out
}

fn status_row(view: &PageView) -> String {
    let class = view.status.to_ascii_lowercase();
    let class: String = class.chars().filter(char::is_ascii_alphabetic).collect();
    format!(
        "<dt>Status</dt><dd><span id=\"status\" class=\"badge {class}\">{}</span></dd>",
        escape(&view.status)
    )
}

fn order_row(view: &PageView) -> String {
    match view.order_number.as_deref().filter(|n| !n.is_empty()) {
        Some(n) => format!("<dt>Order</dt><dd id=\"order-number\">#{}</dd>", escape(n)),
        None => String::new(),
    }
}

fn image(view: &PageView) -> String {
    let Some(url) = view.image_url.as_deref().filter(|u| safe_image_url(u)) else {
        return String::new();
    };
    let alt = view.image_alt.as_deref().unwrap_or("");
    format!(
        "<img id=\"image\" src=\"{}\" alt=\"{}\">",
        escape(url),
        escape(alt)
    )
}

/// Only `http`, `https` and inline images: no `javascript:` or other schemes.
fn safe_image_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["http://", "https://", "data:image/"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

fn pay_form(view: &PageView) -> String {
    let mut methods = method_option(PaymentMethod::Card, "Card", true);
    if view.manual_allowed {
        methods.push_str(&method_option(
            PaymentMethod::Manual,
            "Manual payment",
            false,
        ));
    }
    format!(
        "<form id=\"pay-form\" method=\"post\" action=\"/_emulator/pay/{id}\">\
         <fieldset><legend>Payment method</legend>{methods}</fieldset>\
         <button id=\"pay\" type=\"submit\">Pay {amount}</button></form>",
        id = view.id,
        amount = escape(&view.formatted_amount),
    )
}

fn method_option(method: PaymentMethod, label: &str, checked: bool) -> String {
    let value = method.as_str();
    let id = format!("method-{}", value.to_ascii_lowercase());
    let checked = if checked { " checked" } else { "" };
    format!(
        "<label for=\"{id}\"><input type=\"radio\" id=\"{id}\" name=\"method\" \
         value=\"{value}\"{checked}> {label}</label>"
    )
}

/// The HTML document around `body`, with the page `title` (escaped here).
fn page_shell(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} \u{b7} Payment</title><style>{STYLE}</style></head>\
         <body><main>{body}</main><footer>Local emulator of Wix order payment requests: \
         no real payment is made.</footer></body></html>",
        title = escape(title),
    )
}

const STYLE: &str = "\
*{box-sizing:border-box}\
body{margin:0;min-height:100vh;display:flex;flex-direction:column;align-items:center;\
justify-content:center;background:#f3f4f6;color:#111827;\
font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}\
main{width:min(28rem,92vw);background:#fff;border-radius:12px;padding:2rem;\
box-shadow:0 1px 3px rgba(0,0,0,.1),0 8px 24px rgba(0,0,0,.06)}\
h1{font-size:1.4rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin:1rem 0 .25rem}\
#image{display:block;max-width:100%;max-height:12rem;margin:0 auto 1rem;border-radius:8px}\
#description{color:#4b5563;margin:0 0 1rem}\
.amount{font-size:2rem;font-weight:700;margin:.5rem 0}\
#currency{font-size:1rem;font-weight:400;color:#6b7280}\
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;margin:1rem 0}\
dt{color:#6b7280}dd{margin:0}\
.badge{display:inline-block;padding:.1rem .6rem;border-radius:999px;font-size:.85rem;\
font-weight:600;background:#e5e7eb}\
.badge.unpaid{background:#fef3c7;color:#92400e}.badge.paid{background:#d1fae5;color:#065f46}\
.badge.expired,.badge.voided{background:#fee2e2;color:#991b1b}\
fieldset{border:1px solid #e5e7eb;border-radius:8px;margin:1rem 0;padding:.5rem 1rem}\
label{display:block;padding:.25rem 0;cursor:pointer}\
button{width:100%;padding:.75rem;border:0;border-radius:8px;background:#116dff;color:#fff;\
font:inherit;font-weight:600;cursor:pointer}button:hover{background:#0f5fd9}\
.message{padding:.75rem 1rem;border-radius:8px;margin:1rem 0 0}\
.message.success{background:#d1fae5;color:#065f46}.message.error{background:#fee2e2;color:#991b1b}\
footer{margin:1rem;font-size:.8rem;color:#6b7280}";

#[cfg(test)]
mod tests {
    use super::*;

    fn view(status: &str) -> PageView {
        PageView {
            id: Uuid::nil(),
            title: "Balance".into(),
            description: Some("Rest of the order".into()),
            formatted_amount: "$15.50".into(),
            currency: "USD".into(),
            image_url: Some("https://example.com/a.png".into()),
            image_alt: Some("A cup".into()),
            status: status.into(),
            manual_allowed: true,
            order_number: Some("10001".into()),
        }
    }

    #[test]
    fn unpaid_page_has_details_and_form_with_both_methods() {
        let html = render_page(&view("UNPAID"));
        for part in [
            "<h1 id=\"title\">Balance</h1>",
            "<p id=\"description\">Rest of the order</p>",
            "<span id=\"amount\">$15.50</span>",
            "<span id=\"currency\">USD</span>",
            "id=\"status\" class=\"badge unpaid\">UNPAID<",
            "<dd id=\"order-number\">#10001</dd>",
            "<img id=\"image\" src=\"https://example.com/a.png\" alt=\"A cup\">",
            "action=\"/_emulator/pay/00000000-0000-0000-0000-000000000000\"",
            "id=\"method-card\" name=\"method\" value=\"CARD\" checked",
            "id=\"method-manual\" name=\"method\" value=\"MANUAL\"",
            "<button id=\"pay\"",
        ] {
            assert!(html.contains(part), "missing {part}");
        }
        assert!(!html.contains("id=\"message\""));
    }

    #[test]
    fn blocked_manual_is_not_offered() {
        let html = render_page(&PageView {
            manual_allowed: false,
            ..view("UNPAID")
        });
        assert!(html.contains("id=\"method-card\""));
        assert!(!html.contains("MANUAL"));
        assert!(!html.contains("method-manual"));
    }

    #[test]
    fn only_unpaid_has_a_form() {
        for status in ["PAID", "EXPIRED", "VOIDED", "SOMETHING_NEW"] {
            let html = render_page(&view(status));
            assert!(!html.contains("<form"), "{status}");
            assert!(!html.contains("id=\"pay\""), "{status}");
            assert!(
                html.contains("id=\"message\" class=\"message error\""),
                "{status}"
            );
        }
        assert!(render_page(&view("VOIDED")).contains("voided"));
    }

    #[test]
    fn everything_is_escaped() {
        let nasty = "<script>alert('x')</script> & \"q\"";
        let html = render_page(&PageView {
            title: nasty.into(),
            description: Some(nasty.into()),
            formatted_amount: nasty.into(),
            currency: nasty.into(),
            image_url: Some(format!("https://e.com/\"><script>{nasty}")),
            image_alt: Some(nasty.into()),
            order_number: Some(nasty.into()),
            ..view("UNPAID")
        });
        assert!(!html.contains("<script>"));
        assert!(!html.contains("alert('x')"));
        assert!(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
        );
        let refused = render_refused(&view("PAID"), nasty);
        assert!(!refused.contains("<script>"));
        let status = render_page(&view("<b>"));
        assert!(!status.contains("<b>"));
    }

    #[test]
    fn unsafe_or_missing_images_are_left_out() {
        for url in [Some("javascript:alert(1)"), Some("  JAVASCRIPT:x"), None] {
            let html = render_page(&PageView {
                image_url: url.map(String::from),
                ..view("UNPAID")
            });
            assert!(!html.contains("id=\"image\""), "{url:?}");
        }
        let inline = render_page(&PageView {
            image_url: Some("data:image/png;base64,AAAA".into()),
            ..view("UNPAID")
        });
        assert!(inline.contains("id=\"image\""));
    }

    #[test]
    fn paid_and_refused_pages() {
        let paid = render_paid(&view("PAID"));
        assert!(paid.contains("id=\"confirmation\""));
        assert!(paid.contains("id=\"message\" class=\"message success\""));
        assert!(paid.contains("$15.50"));
        assert!(!paid.contains("<form"));
        let refused = render_refused(&view("VOIDED"), "No longer payable.");
        assert!(refused.contains(">No longer payable.</p>"));
        assert!(!refused.contains("<form"));
        assert!(render_not_found().contains("id=\"message\""));
    }

    #[test]
    fn optional_parts_are_left_out() {
        let html = render_page(&PageView {
            description: None,
            order_number: None,
            ..view("UNPAID")
        });
        assert!(!html.contains("id=\"description\""));
        assert!(!html.contains("id=\"order-number\""));
    }

    #[test]
    fn form_method_is_checked() {
        let form = |m: Option<&str>| PayForm {
            method: m.map(String::from),
        };
        let open = view("UNPAID");
        let blocked = PageView {
            manual_allowed: false,
            ..view("UNPAID")
        };
        assert_eq!(form(None).method_for(&open), Ok(PaymentMethod::Card));
        assert_eq!(
            form(Some("manual")).method_for(&open),
            Ok(PaymentMethod::Manual)
        );
        assert!(form(Some("MANUAL")).method_for(&blocked).is_err());
        assert!(form(Some("<x>")).method_for(&open).is_err());
        assert_eq!(refusal_reason("UNPAID"), None);
        assert!(refusal_reason("VOIDED").is_some());
    }

    #[test]
    fn form_bodies_are_read_leniently() {
        assert_eq!(PayForm::from_body(b"").method, None);
        assert_eq!(PayForm::from_body(b"\xff\xfe").method, None);
        assert_eq!(
            PayForm::from_body(b"x=1&method=MANUAL").method.as_deref(),
            Some("MANUAL")
        );
        assert_eq!(
            PayForm::from_body(b"method=a+b%21%zz").method.as_deref(),
            Some("a b!%zz")
        );
    }
}
