//! The app's key pair: the signer of deliveries and the public key receivers verify with.
//!
//! Without a configured key the emulator uses a built-in RSA 2048 pair
//! (`emulator-core/fixtures/webhooks/throwaway_emulator_app_key_*.pem`). That pair is **a throwaway
//! key for local testing only**: its private half is published in this repository, so anyone can
//! forge deliveries signed with it.
//!
//! With a configured private key the public key is derived from it (an RSA private key holds
//! its modulus and public exponent), so only the private PEM needs to be given.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use wix_runtime::webhooks::{WebhookSigner, WebhookVerifier};
use wix_runtime::wire::WebhookJwtClaims;

use super::error::WebhookSetupError;

/// The built-in throwaway private key (PKCS#8 PEM). Public, for local testing only.
const DEFAULT_PRIVATE_KEY_PEM: &str =
    include_str!("../../fixtures/webhooks/throwaway_emulator_app_key_private.pem");

/// The public half of the built-in throwaway key pair (SPKI PEM, `BEGIN PUBLIC KEY`).
pub const DEFAULT_PUBLIC_KEY_PEM: &str =
    include_str!("../../fixtures/webhooks/throwaway_emulator_app_key_public.pem");

/// DER of the `rsaEncryption` OID, 1.2.840.113549.1.1.1.
const RSA_ENCRYPTION_OID: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// The signer and the public key of the emulated app. `Debug` never shows the private key.
#[derive(Clone)]
pub(crate) struct AppKeys {
    /// Signs deliveries.
    pub(crate) signer: WebhookSigner,
    /// The public key, SPKI PEM.
    pub(crate) public_key_pem: String,
}

impl fmt::Debug for AppKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppKeys")
            .field("signer", &self.signer)
            .field("public_key_pem", &self.public_key_pem)
            .finish()
    }
}

impl AppKeys {
    /// The built-in throwaway key pair.
    pub(crate) fn throwaway(key_id: &str) -> Result<Self, WebhookSetupError> {
        Self::from_private_pem(DEFAULT_PRIVATE_KEY_PEM, key_id)
    }

    /// The key pair of `private_key_pem`, checked by signing and verifying a token with it.
    pub(crate) fn from_private_pem(
        private_key_pem: &str,
        key_id: &str,
    ) -> Result<Self, WebhookSetupError> {
        let invalid = |reason: String| WebhookSetupError::InvalidKey { reason };
        let public_key_pem = public_key_from_private_pem(private_key_pem).map_err(invalid)?;
        let signer = WebhookSigner::from_rsa_pem(private_key_pem.as_bytes())
            .map_err(|e| invalid(e.to_string()))?
            .with_kid(key_id);
        let verifier = WebhookVerifier::<()>::from_rsa_pem(public_key_pem.as_bytes())
            .map_err(|e| invalid(format!("derived public key refused: {e}")))?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO)
            .as_secs();
        let iat = i64::try_from(now).unwrap_or(i64::MAX);
        let probe = WebhookJwtClaims {
            data: "{}".to_string(),
            iat: Some(iat),
            exp: Some(iat.saturating_add(60)),
        };
        let token = signer
            .sign_claims(&probe)
            .map_err(|e| invalid(e.to_string()))?;
        verifier
            .verify_claims(token.as_bytes())
            .map_err(|e| invalid(format!("signature check with the derived key failed: {e}")))?;
        Ok(Self {
            signer,
            public_key_pem,
        })
    }
}

/// The public key (SPKI PEM, `-----BEGIN PUBLIC KEY-----`, as `openssl pkey -pubout` writes it)
/// of an RSA private key given as PEM, PKCS#8 (`PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`).
///
/// Errors name what is wrong and never contain key material.
pub fn public_key_from_private_pem(private_key_pem: &str) -> Result<String, String> {
    let (label, der) = decode_pem(private_key_pem)?;
    let pkcs1 = match label.as_str() {
        "RSA PRIVATE KEY" => der,
        "PRIVATE KEY" => pkcs8_rsa_key(&der)?,
        "ENCRYPTED PRIVATE KEY" => return Err("encrypted private keys are not supported".into()),
        other => return Err(format!("expected an RSA private key PEM, found {other:?}")),
    };
    // RSAPrivateKey ::= SEQUENCE { version, modulus, publicExponent, ... }
    let mut key = Der::new(&pkcs1).sequence("RSAPrivateKey")?;
    key.element(TAG_INTEGER, "RSAPrivateKey.version")?;
    let modulus = key.element(TAG_INTEGER, "RSAPrivateKey.modulus")?;
    let exponent = key.element(TAG_INTEGER, "RSAPrivateKey.publicExponent")?;
    // RSAPublicKey ::= SEQUENCE { modulus, publicExponent }
    let rsa_public = tlv(TAG_SEQUENCE, &[modulus.raw, exponent.raw].concat());
    // AlgorithmIdentifier ::= SEQUENCE { rsaEncryption, NULL }
    let algorithm = tlv(
        TAG_SEQUENCE,
        &[tlv(TAG_OID, &RSA_ENCRYPTION_OID), tlv(TAG_NULL, &[])].concat(),
    );
    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, BIT STRING (no unused bits) }
    let bit_string = tlv(TAG_BIT_STRING, &[&[0u8][..], &rsa_public].concat());
    let spki = tlv(TAG_SEQUENCE, &[algorithm, bit_string].concat());
    Ok(encode_pem("PUBLIC KEY", &spki))
}

/// The PKCS#1 key inside a PKCS#8 `PrivateKeyInfo`, if its algorithm is `rsaEncryption`.
fn pkcs8_rsa_key(der: &[u8]) -> Result<Vec<u8>, String> {
    // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, privateKey OCTET STRING, ... }
    let mut info = Der::new(der).sequence("PrivateKeyInfo")?;
    info.element(TAG_INTEGER, "PrivateKeyInfo.version")?;
    let algorithm = info.element(TAG_SEQUENCE, "PrivateKeyInfo.privateKeyAlgorithm")?;
    let oid = Der::new(algorithm.content).element(TAG_OID, "algorithm OID")?;
    if oid.content != RSA_ENCRYPTION_OID {
        return Err("the private key is not an RSA key".into());
    }
    let key = info.element(TAG_OCTET_STRING, "PrivateKeyInfo.privateKey")?;
    Ok(key.content.to_vec())
}

/// The label and DER of the first PEM block of `pem`.
fn decode_pem(pem: &str) -> Result<(String, Vec<u8>), String> {
    let begin = pem
        .find("-----BEGIN ")
        .ok_or("no `-----BEGIN` line: not a PEM")?;
    let rest = &pem[begin + "-----BEGIN ".len()..];
    let label_end = rest.find("-----").ok_or("malformed PEM BEGIN line")?;
    let label = rest[..label_end].to_string();
    let body_and_end = &rest[label_end + "-----".len()..];
    let end_marker = format!("-----END {label}-----");
    let end = body_and_end
        .find(&end_marker)
        .ok_or_else(|| format!("no `{end_marker}` line"))?;
    let body: String = body_and_end[..end]
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    if body.contains(':') {
        return Err("PEM with headers (an encrypted key?) is not supported".into());
    }
    let der = STANDARD
        .decode(body.as_bytes())
        .map_err(|_| "the PEM body is not base64".to_string())?;
    Ok((label, der))
}

fn encode_pem(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        // base64 output is ASCII, so every chunk is valid UTF-8.
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

const TAG_INTEGER: u8 = 0x02;
const TAG_BIT_STRING: u8 = 0x03;
const TAG_OCTET_STRING: u8 = 0x04;
const TAG_NULL: u8 = 0x05;
const TAG_OID: u8 = 0x06;
const TAG_SEQUENCE: u8 = 0x30;

/// One DER element: its whole encoding and its content.
struct Element<'a> {
    raw: &'a [u8],
    content: &'a [u8],
}

/// A cursor over consecutive DER elements.
struct Der<'a> {
    rest: &'a [u8],
}

impl<'a> Der<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// A cursor over the content of the next element, which must be a SEQUENCE.
    fn sequence(&mut self, what: &str) -> Result<Der<'a>, String> {
        Ok(Der::new(self.element(TAG_SEQUENCE, what)?.content))
    }

    /// The next element, which must have tag `tag`.
    fn element(&mut self, tag: u8, what: &str) -> Result<Element<'a>, String> {
        let malformed = || format!("malformed key: bad DER at {what}");
        let bytes = self.rest;
        let (&found, after_tag) = bytes.split_first().ok_or_else(malformed)?;
        if found != tag {
            return Err(format!(
                "malformed key: expected tag {tag:#04x} at {what}, found {found:#04x}"
            ));
        }
        let (&first, mut after_len) = after_tag.split_first().ok_or_else(malformed)?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 || after_len.len() < count {
                return Err(malformed());
            }
            let (len_bytes, rest) = after_len.split_at(count);
            after_len = rest;
            len_bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
        };
        if after_len.len() < len {
            return Err(malformed());
        }
        let header_len = bytes.len() - after_len.len();
        let (raw, rest) = bytes.split_at(header_len + len);
        self.rest = rest;
        Ok(Element {
            raw,
            content: &raw[header_len..],
        })
    }
}

/// The DER encoding of an element with `tag` and `content`.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let significant = &bytes[skip..];
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(content);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT_PRIVATE: &str = wix_order_payment_requests::testing::APP_PRIVATE_KEY_PEM;
    const CLIENT_PUBLIC: &str = wix_order_payment_requests::testing::APP_PUBLIC_KEY_PEM;
    const PKCS1_PRIVATE: &str = include_str!("../../fixtures/webhooks/test_only_pkcs1_private.pem");

    #[test]
    fn derives_the_public_key_of_the_throwaway_pair() {
        assert_eq!(
            public_key_from_private_pem(DEFAULT_PRIVATE_KEY_PEM).unwrap(),
            DEFAULT_PUBLIC_KEY_PEM
        );
    }

    #[test]
    fn derives_the_public_key_of_another_pkcs8_key() {
        assert_eq!(
            public_key_from_private_pem(CLIENT_PRIVATE).unwrap(),
            CLIENT_PUBLIC
        );
    }

    #[test]
    fn derives_the_same_public_key_from_pkcs1() {
        // The PKCS#1 fixture is the throwaway key written in the traditional format.
        assert!(PKCS1_PRIVATE.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        assert_eq!(
            public_key_from_private_pem(PKCS1_PRIVATE).unwrap(),
            DEFAULT_PUBLIC_KEY_PEM
        );
        let keys = AppKeys::from_private_pem(PKCS1_PRIVATE, "k").unwrap();
        assert_eq!(keys.public_key_pem, DEFAULT_PUBLIC_KEY_PEM);
    }

    #[test]
    fn throwaway_keys_sign_and_verify() {
        let keys = AppKeys::throwaway("kid-1").unwrap();
        assert_eq!(keys.public_key_pem, DEFAULT_PUBLIC_KEY_PEM);
        let debug = format!("{keys:?}");
        assert!(!debug.contains("PRIVATE"));
    }

    #[test]
    fn refuses_bad_input_without_panicking() {
        for bad in [
            "",
            "not a pem",
            "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
            "-----BEGIN PRIVATE KEY-----\nMIQAAAAB\n-----END PRIVATE KEY-----\n",
            "-----BEGIN PRIVATE KEY-----\nMAA=\n",
            CLIENT_PUBLIC,
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
        ] {
            assert!(public_key_from_private_pem(bad).is_err(), "{bad:?}");
            let err = AppKeys::from_private_pem(bad, "k").unwrap_err();
            assert!(matches!(err, WebhookSetupError::InvalidKey { .. }));
        }
    }

    #[test]
    fn error_messages_hold_no_key_material() {
        let truncated = &DEFAULT_PRIVATE_KEY_PEM[..DEFAULT_PRIVATE_KEY_PEM.len() / 2];
        let broken = format!("{truncated}\n-----END PRIVATE KEY-----\n");
        let err = public_key_from_private_pem(&broken).unwrap_err();
        let body_line = DEFAULT_PRIVATE_KEY_PEM.lines().nth(1).unwrap();
        assert!(!err.contains(body_line));
    }

    #[test]
    fn tlv_encodes_long_lengths() {
        assert_eq!(tlv(0x04, &[1, 2]), vec![0x04, 2, 1, 2]);
        let long = tlv(0x04, &[0u8; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(long.len(), 304);
    }
}
