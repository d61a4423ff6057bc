//! SAML 2.0 IdP metadata, read the way IAM reads it for a SAML provider.
//!
//! Only what connect-guard's rules judge is read: the entity id, `validUntil`, the
//! single sign-on endpoints and the signing and encryption certificates of the
//! `IDPSSODescriptor`. Everything else (organization, contacts, SP descriptors, extensions,
//! the metadata's own XML signature) is skipped.
//!
//! The document comes from an account being audited, so it is treated as hostile: no DTD is
//! ever processed (a `<!DOCTYPE` or `<!ENTITY` anywhere refuses the document, which rules out
//! entity-expansion attacks), documents over IAM's own 10,000,000-character limit are refused
//! unread, and nesting depth and the number of keys and endpoints are bounded. Parsing never
//! panics and never fails: what goes wrong ends up in [`SamlMetadata::parse_error`] as one line,
//! so a provider with broken metadata is still reported on instead of disappearing.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDateTime, Utc};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::reader::Reader;

use super::SamlMetadata;
use super::certificate::parse_certificate_base64;

/// Longest metadata document read, in characters. IAM refuses longer ones
/// (`SAMLMetadataDocument` is limited to 10,000,000 characters), so anything longer cannot
/// have come from IAM and is not worth the memory.
pub const MAX_DOCUMENT_CHARS: usize = 10_000_000;

/// Deepest element nesting read. Real metadata is under 10 levels deep; the bound keeps a
/// pathological document from growing the element stack without limit.
pub const MAX_DEPTH: usize = 64;

/// Most `KeyDescriptor`s (and, separately, most certificates and most `SingleSignOnService`
/// endpoints) read from the IdP. Real IdPs publish one to three keys.
pub const MAX_KEYS: usize = 100;

/// Reads SAML IdP metadata. Never panics and never fails.
///
/// Element names are matched by local name, so any namespace prefix (`md:`, `ds:`, `saml2:`)
/// or a default namespace works. The document may be an `EntityDescriptor` or an
/// `EntitiesDescriptor`; in the latter case the first `EntityDescriptor` that has an
/// `IDPSSODescriptor` is read.
///
/// A `KeyDescriptor` without `use` is put in [`SamlMetadata::signing_certs`] only. SAML says
/// such a key serves both purposes, but only signing matters for login (it is what lets the
/// IdP mint assertions AWS accepts), and listing the same certificate twice would double every
/// certificate finding.
///
/// When something is wrong, [`SamlMetadata::parse_error`] says what, in one lower-case line
/// (several problems are joined with `; `). What was read before a fatal error is kept, the
/// rest is left empty. A certificate that cannot be decoded is skipped (and named in
/// `parse_error`) while the others are still returned. A leading UTF-8 byte order mark is
/// skipped silently: XML 1.0 (appendix F) allows it as an encoding signature, and a document
/// IAM returned is one IAM already accepted.
pub fn parse_metadata(document: &str) -> SamlMetadata {
    // `len()` is bytes, at least the number of characters and at most four times it, so the
    // characters are only counted in the narrow band where it matters.
    if document.len() > MAX_DOCUMENT_CHARS
        && (document.len() > 4 * MAX_DOCUMENT_CHARS
            || document.chars().count() > MAX_DOCUMENT_CHARS)
    {
        return failed(format!(
            "metadata is longer than {MAX_DOCUMENT_CHARS} characters, the most iam accepts"
        ));
    }

    let mut problems = Vec::new();
    let body = document.strip_prefix('\u{feff}').unwrap_or(document);
    if body.trim().is_empty() {
        problems.push("metadata is empty".to_owned());
        return with_problems(SamlMetadata::default(), problems);
    }
    if let Some(what) = find_dtd(body) {
        // quick-xml would not expand entities anyway, but a DTD has no business in IdP
        // metadata and refusing it outright means no later change can make it dangerous.
        problems.push(format!(
            "metadata contains <!{what}, refused to prevent entity expansion"
        ));
        return with_problems(SamlMetadata::default(), problems);
    }

    let mut parser = Parser::default();
    let fatal = parser.run(body).err();
    let (metadata, found_problems) = parser.finish(fatal);
    problems.extend(found_problems);
    with_problems(metadata, problems)
}

fn failed(problem: String) -> SamlMetadata {
    with_problems(SamlMetadata::default(), vec![problem])
}

fn with_problems(mut metadata: SamlMetadata, problems: Vec<String>) -> SamlMetadata {
    if !problems.is_empty() {
        let problems: Vec<String> = problems.iter().map(|p| shortened(p, 300)).collect();
        metadata.parse_error = Some(one_line(&problems.join("; ")));
    }
    metadata
}

/// Cuts a message at `max` characters: names and values quoted from a hostile document (or
/// in quick-xml's errors) could otherwise make it arbitrarily long.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let head: String = text.chars().take(max).collect();
        format!("{head}…")
    }
}

/// Control characters (a `&#10;` in an attribute, say) would break the one-line promise.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Quotes a value from the document in a message, shortened so a hostile value cannot make
/// the message huge.
fn quoted(value: &str) -> String {
    format!("{:?}", shortened(value, 60))
}

/// Finds `<!DOCTYPE` or `<!ENTITY` anywhere, in any case, even inside comments: a cheap scan
/// that needs no XML parsing at all.
fn find_dtd(body: &str) -> Option<&'static str> {
    let bytes = body.as_bytes();
    body.match_indices("<!").find_map(|(at, _)| {
        let rest = &bytes[at + 2..];
        let starts =
            |word: &[u8]| rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word);
        if starts(b"DOCTYPE") {
            Some("DOCTYPE")
        } else if starts(b"ENTITY") {
            Some("ENTITY")
        } else {
            None
        }
    })
}

/// Reads the `validUntil` attribute, if any; the error is a problem to report.
fn read_valid_until(attrs: &Attributes) -> Result<Option<DateTime<Utc>>, String> {
    let Some(raw) = attrs.get("validUntil") else {
        return Ok(None);
    };
    let value = raw.trim();
    parse_xs_datetime(value)
        .map(Some)
        .ok_or_else(|| format!("validUntil {} is not an xs:dateTime", quoted(value)))
}

/// Reads xs:dateTime. A value without a time zone is taken as UTC: that is what IdPs mean,
/// and SAML requires UTC anyway.
fn parse_xs_datetime(value: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
}

/// What a `KeyDescriptor` is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Usage {
    Signing,
    Encryption,
    /// A `use` value SAML does not define; its certificates are skipped.
    Unknown,
}

/// One open element.
#[derive(Debug)]
struct Frame {
    /// Local name.
    name: String,
    /// `validUntil` of an `EntitiesDescriptor`: it bounds every entity inside it.
    valid_until: Option<DateTime<Utc>>,
}

/// What has been read of one `EntityDescriptor`.
#[derive(Debug, Default)]
struct Entity {
    /// Depth of the `EntityDescriptor` element (0 for the root).
    depth: usize,
    has_idp: bool,
    metadata: SamlMetadata,
    problems: Vec<String>,
    signing_seen: usize,
    encryption_seen: usize,
}

/// An open `KeyDescriptor` of the IdP.
#[derive(Debug)]
struct Key {
    depth: usize,
    usage: Usage,
}

/// Streaming reader state. Positions are depths in the element stack, which is all the
/// context the handful of paths read here need.
#[derive(Debug, Default)]
struct Parser {
    stack: Vec<Frame>,
    root_seen: bool,
    /// The `EntityDescriptor` being read.
    current: Option<Entity>,
    /// The first entity that had an `IDPSSODescriptor`: the one returned.
    chosen: Option<Entity>,
    /// The first entity seen, for its id when no entity is an IdP.
    first: Option<Entity>,
    /// Depth of the open `IDPSSODescriptor` of the current entity.
    idp_depth: Option<usize>,
    key: Option<Key>,
    /// Base64 text of the open `X509Certificate`.
    cert_text: Option<String>,
    keys_seen: usize,
    certs_seen: usize,
    /// Problems outside any entity (a bad `EntitiesDescriptor@validUntil`).
    outer_problems: Vec<String>,
}

impl Parser {
    fn run(&mut self, body: &str) -> Result<(), String> {
        let mut reader = Reader::from_str(body);
        loop {
            let event = reader.read_event().map_err(|e| {
                format!(
                    "metadata is not well-formed xml at byte {}: {e}",
                    reader.error_position()
                )
            })?;
            match event {
                Event::Start(e) => self.start(&e, false)?,
                Event::Empty(e) => self.start(&e, true)?,
                Event::End(_) => self.end(),
                Event::Text(t) => self.text(&t.xml10_content())?,
                Event::CData(t) => self.text(&t.xml10_content())?,
                Event::GeneralRef(r) => {
                    let resolved = resolve_reference(&r)?;
                    self.text(&resolved)?;
                }
                Event::DocType(_) => {
                    // Unreachable after `find_dtd`, kept so the refusal never depends on it.
                    return Err(
                        "metadata contains <!DOCTYPE, refused to prevent entity expansion"
                            .to_owned(),
                    );
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
                Event::Eof => break,
            }
        }
        if let Some(open) = self.stack.last() {
            return Err(format!(
                "metadata is truncated: element {} is not closed",
                open.name
            ));
        }
        if !self.root_seen {
            return Err("metadata is not xml: it has no element".to_owned());
        }
        Ok(())
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), String> {
        let name = e.local_name().as_ref().to_owned();
        let depth = self.stack.len();
        if depth >= MAX_DEPTH {
            return Err(format!(
                "metadata nests elements more than {MAX_DEPTH} deep"
            ));
        }
        if depth == 0 {
            if self.root_seen {
                return Err("metadata has more than one root element".to_owned());
            }
            self.root_seen = true;
            if name != "EntityDescriptor" && name != "EntitiesDescriptor" {
                return Err(format!(
                    "root element is {}, not EntityDescriptor or EntitiesDescriptor",
                    quoted(&name)
                ));
            }
        }
        let attrs = Attributes::read(e, &name)?;
        let mut frame_valid_until = None;

        match name.as_str() {
            "EntitiesDescriptor" => match read_valid_until(&attrs) {
                Ok(t) => frame_valid_until = t,
                // Not fatal, and reported whichever entity is chosen.
                Err(problem) => self.outer_problems.push(problem),
            },
            "EntityDescriptor" if self.current.is_none() => {
                // Metadata validity is inherited: an enclosing EntitiesDescriptor that
                // expires earlier ends this entity's validity too.
                let mut problems = Vec::new();
                let own = read_valid_until(&attrs).unwrap_or_else(|problem| {
                    // Not fatal: the rest of the entity is still worth reading.
                    problems.push(problem);
                    None
                });
                let valid_until = self
                    .stack
                    .iter()
                    .filter_map(|f| f.valid_until)
                    .chain(own)
                    .min();
                let mut entity = Entity {
                    depth,
                    problems,
                    ..Entity::default()
                };
                entity.metadata.entity_id = attrs.get("entityID").map(|v| v.trim().to_owned());
                entity.metadata.valid_until = valid_until;
                self.current = Some(entity);
            }
            "IDPSSODescriptor" => {
                // Only a direct child of the entity counts, and only until an IdP is chosen.
                let chosen = self.chosen.is_some();
                if let Some(entity) = self.current.as_mut().filter(|e| e.depth + 1 == depth)
                    && !chosen
                {
                    entity.has_idp = true;
                    self.idp_depth = Some(depth);
                }
            }
            "SingleSignOnService" if self.in_idp(depth) => {
                if let (Some(entity), Some(location)) =
                    (self.current.as_mut(), attrs.get("Location"))
                {
                    if entity.metadata.sso_endpoints.len() >= MAX_KEYS {
                        return Err(format!(
                            "metadata has more than {MAX_KEYS} SingleSignOnService elements"
                        ));
                    }
                    entity
                        .metadata
                        .sso_endpoints
                        .push(location.trim().to_owned());
                }
            }
            "KeyDescriptor" if self.in_idp(depth) => {
                self.keys_seen += 1;
                if self.keys_seen > MAX_KEYS {
                    return Err(format!(
                        "metadata has more than {MAX_KEYS} KeyDescriptor elements"
                    ));
                }
                let usage = match attrs.get("use").map(str::trim) {
                    None | Some("signing") => Usage::Signing,
                    Some("encryption") => Usage::Encryption,
                    Some(other) => {
                        if let Some(entity) = self.current.as_mut() {
                            entity.problems.push(format!(
                                "key descriptor {} has unknown use {}, its certificates are skipped",
                                self.keys_seen,
                                quoted(other)
                            ));
                        }
                        Usage::Unknown
                    }
                };
                self.key = Some(Key { depth, usage });
            }
            "X509Certificate" if self.in_key_x509_data(depth) => {
                self.certs_seen += 1;
                if self.certs_seen > MAX_KEYS {
                    return Err(format!(
                        "metadata has more than {MAX_KEYS} X509Certificate elements"
                    ));
                }
                self.cert_text = Some(String::new());
            }
            _ => {}
        }

        self.stack.push(Frame {
            name,
            valid_until: frame_valid_until,
        });
        if empty {
            self.end();
        }
        Ok(())
    }

    /// Whether an element at `depth` is a direct child of the IdP descriptor.
    fn in_idp(&self, depth: usize) -> bool {
        self.idp_depth.is_some_and(|d| d + 1 == depth)
    }

    /// Whether an element at `depth` is in `KeyDescriptor/KeyInfo/X509Data`.
    fn in_key_x509_data(&self, depth: usize) -> bool {
        let Some(key) = &self.key else {
            return false;
        };
        depth == key.depth + 3
            && self
                .stack
                .get(key.depth + 1)
                .is_some_and(|f| f.name == "KeyInfo")
            && self
                .stack
                .get(key.depth + 2)
                .is_some_and(|f| f.name == "X509Data")
    }

    fn end(&mut self) {
        // quick-xml has already checked that the end tag matches the open one.
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let depth = self.stack.len();
        if frame.name == "X509Certificate"
            && let Some(text) = self.cert_text.take()
        {
            self.add_certificate(&text);
        }
        if self.key.as_ref().is_some_and(|k| k.depth == depth) {
            self.key = None;
        }
        if self.idp_depth == Some(depth) {
            self.idp_depth = None;
        }
        let closes_entity = self.current.as_ref().is_some_and(|e| e.depth == depth);
        if let Some(entity) = self.current.take_if(|_| closes_entity) {
            if entity.has_idp && self.chosen.is_none() {
                self.chosen = Some(entity);
            } else if self.first.is_none() {
                self.first = Some(entity);
            }
        }
    }

    fn add_certificate(&mut self, text: &str) {
        let (Some(key), Some(entity)) = (&self.key, self.current.as_mut()) else {
            return;
        };
        let (seen, list, label) = match key.usage {
            Usage::Signing => (
                &mut entity.signing_seen,
                &mut entity.metadata.signing_certs,
                "signing",
            ),
            Usage::Encryption => (
                &mut entity.encryption_seen,
                &mut entity.metadata.encryption_certs,
                "encryption",
            ),
            Usage::Unknown => return,
        };
        *seen += 1;
        match parse_certificate_base64(text) {
            Ok(cert) => list.push(cert),
            Err(why) => entity
                .problems
                .push(format!("{label} certificate {}: {why}", *seen)),
        }
    }

    fn text(&mut self, text: &str) -> Result<(), String> {
        if let Some(cert) = self.cert_text.as_mut() {
            cert.push_str(text);
        } else if self.stack.is_empty() && !text.trim().is_empty() {
            // Text before the root element: "hello", JSON, an HTML error page's preamble.
            return Err("metadata is not xml: it has text outside any element".to_owned());
        }
        Ok(())
    }

    /// Turns the reader state into the result, with the problems found on the way.
    fn finish(self, fatal: Option<String>) -> (SamlMetadata, Vec<String>) {
        let found_entity = self.chosen.is_some() || self.current.is_some() || self.first.is_some();
        // After a fatal error, the entity being read is what was read "before the failure".
        let entity = self.chosen.or(self.current).or(self.first);
        let mut problems = self.outer_problems;
        let metadata = match entity {
            Some(entity) => {
                problems.extend(entity.problems);
                if fatal.is_none() && !entity.has_idp {
                    problems.push("metadata has no IDPSSODescriptor element".to_owned());
                }
                entity.metadata
            }
            None => SamlMetadata::default(),
        };
        if let Some(fatal) = fatal {
            problems.push(fatal);
        } else if !found_entity {
            problems.push("metadata has no EntityDescriptor element".to_owned());
        }
        (metadata, problems)
    }
}

/// The unprefixed attributes of an element, with entities resolved.
struct Attributes(Vec<(String, String)>);

impl Attributes {
    fn read(e: &BytesStart<'_>, element: &str) -> Result<Self, String> {
        let mut found = Vec::new();
        for attr in e.attributes() {
            let attr =
                attr.map_err(|err| format!("malformed attribute in element {element}: {err}"))?;
            // SAML's own attributes are unprefixed; `xmlns:*` and foreign ones are skipped.
            if attr.key.prefix().is_some() {
                continue;
            }
            let value: Cow<'_, str> = attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|err| format!("malformed attribute in element {element}: {err}"))?;
            let key = attr.key.local_name().as_ref().to_owned();
            found.push((key, value.into_owned()));
        }
        Ok(Self(found))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Resolves `&…;` in text: character references and the five predefined entities. There is
/// no DTD, so any other name is undefined and the document is not well-formed.
fn resolve_reference(r: &BytesRef<'_>) -> Result<String, String> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => return Ok(c.to_string()),
        Ok(None) => {}
        Err(err) => {
            return Err(format!(
                "metadata has an invalid character reference: {err}"
            ));
        }
    }
    let name: &str = r;
    let resolved = match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => {
            return Err(format!(
                "metadata uses the undefined entity &{};",
                name.chars().take(60).collect::<String>()
            ));
        }
    };
    Ok(resolved.to_owned())
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    reason = "a test should stop at the first surprise"
)]
mod tests {
    use std::time::{Duration, Instant};

    use proptest::prelude::*;

    use super::*;
    use crate::saml::test_pem::{at, pem_body};

    const OKTA_PROD: &str = include_str!("../demo/certs/okta-prod.pem");
    const OKTA_LEGACY: &str = include_str!("../demo/certs/okta-legacy.pem");
    const ENTRA_PROD: &str = include_str!("../demo/certs/entra-prod.pem");
    const IDENTITY_CENTER: &str = include_str!("../demo/certs/identity-center.pem");
    const OKTA_NONPROD: &str = include_str!("../demo/certs/okta-nonprod.pem");

    // Fingerprints as in certificate.rs (from `openssl x509 -noout -fingerprint -sha256`).
    const OKTA_PROD_SHA256: &str =
        "26d0c2358e5e5661eaaa956b3a9f6f0769e284eea93d0e99d25869dc6888a308";
    const OKTA_LEGACY_SHA256: &str =
        "98547e401a02f4f91eece7cd43e7b5a91abe77692734131313966e2286cf0de3";
    const ENTRA_PROD_SHA256: &str =
        "57ca984ff8ed00fdac96ab4890a8fee5c5af7fbb6e03396c0083b18f930dfb9b";
    const IDENTITY_CENTER_SHA256: &str =
        "d5ca1b8081c765ad3336ba43a574cd2ae8dcd7ba94aa3865d8b621ecf316c55e";
    const OKTA_NONPROD_SHA256: &str =
        "e5ed900f5bbf88ac3df0a74c23711452e551b8f64707e6dae451954f58c95769";

    fn fingerprints(certs: &[crate::snapshot::Certificate]) -> Vec<&str> {
        certs.iter().map(|c| c.sha256.as_str()).collect()
    }

    /// Okta's shape: `md:` and `ds:` prefixes.
    fn okta_metadata() -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk1prod" validUntil="2027-01-01T00:00:00Z">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data>
          <ds:X509Certificate>{}</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://example.okta.com/app/amazon_aws/exk1prod/sso/saml"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://example.okta.com/app/amazon_aws/exk1prod/sso/saml?a=1&amp;b=2"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"#,
            pem_body(OKTA_PROD)
        )
    }

    /// Entra's shape: default namespace, a document signature and WS-Federation role
    /// descriptors whose keys are not the IdP's and must not be read.
    fn entra_metadata() -> String {
        let cert = pem_body(ENTRA_PROD);
        let other = pem_body(OKTA_LEGACY);
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<EntityDescriptor ID="_7d3c" entityID="https://sts.windows.net/0000-tenant/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">
  <Signature xmlns="http://www.w3.org/2000/09/xmldsig#">
    <SignedInfo/>
    <SignatureValue>AAAA</SignatureValue>
    <KeyInfo><X509Data><X509Certificate>{other}</X509Certificate></X509Data></KeyInfo>
  </Signature>
  <RoleDescriptor xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706">
    <KeyDescriptor use="signing">
      <KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>{other}</X509Certificate></X509Data></KeyInfo>
    </KeyDescriptor>
  </RoleDescriptor>
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing">
      <KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#">
        <X509Data>
          <X509Certificate>{cert}</X509Certificate>
        </X509Data>
      </KeyInfo>
    </KeyDescriptor>
    <SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/0000-tenant/saml2"/>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/0000-tenant/saml2"/>
  </IDPSSODescriptor>
</EntityDescriptor>"#
        )
    }

    /// One IdP entity with the given key descriptors (already-built XML).
    fn idp_with_keys(keys: &str) -> String {
        format!(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="urn:test">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">{keys}
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso"/>
</md:IDPSSODescriptor></md:EntityDescriptor>"#
        )
    }

    fn key(usage: Option<&str>, base64: &str) -> String {
        let usage = usage.map(|u| format!(r#" use="{u}""#)).unwrap_or_default();
        format!(
            "<md:KeyDescriptor{usage}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{base64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        )
    }

    #[test]
    fn okta_metadata_with_prefixes() {
        let m = parse_metadata(&okta_metadata());
        assert_eq!(m.parse_error, None);
        assert_eq!(m.entity_id.as_deref(), Some("http://www.okta.com/exk1prod"));
        assert_eq!(m.valid_until, Some(at("2027-01-01T00:00:00Z")));
        assert_eq!(
            m.sso_endpoints,
            vec![
                "https://example.okta.com/app/amazon_aws/exk1prod/sso/saml",
                // `&amp;` in the attribute is resolved.
                "https://example.okta.com/app/amazon_aws/exk1prod/sso/saml?a=1&b=2",
            ]
        );
        assert_eq!(fingerprints(&m.signing_certs), vec![OKTA_PROD_SHA256]);
        let cert = &m.signing_certs[0];
        assert_eq!(cert.not_before, at("2025-06-01T00:00:00Z"));
        assert_eq!(cert.not_after, at("2030-06-01T00:00:00Z"));
        assert_eq!((cert.key_type.as_str(), cert.key_bits), ("RSA", 2048));
        assert!(m.encryption_certs.is_empty());
    }

    #[test]
    fn entra_metadata_with_default_namespace_reads_only_idp_keys() {
        let m = parse_metadata(&entra_metadata());
        assert_eq!(m.parse_error, None);
        assert_eq!(
            m.entity_id.as_deref(),
            Some("https://sts.windows.net/0000-tenant/")
        );
        assert_eq!(m.valid_until, None);
        assert_eq!(
            m.sso_endpoints,
            vec!["https://login.microsoftonline.com/0000-tenant/saml2"]
        );
        assert_eq!(fingerprints(&m.signing_certs), vec![ENTRA_PROD_SHA256]);
        assert_eq!(m.signing_certs[0].not_after, at("2026-11-19T00:00:00Z"));
    }

    #[test]
    fn saml2_prefix_and_windows_line_breaks_in_certificate() {
        // ADFS writes `&#13;` before each line break of the base64.
        let cert = pem_body(IDENTITY_CENTER).replace('\n', "&#13;\n");
        let doc = format!(
            r#"<saml2:EntityDescriptor xmlns:saml2="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://portal.sso.us-east-1.amazonaws.com/saml/assertion/abc">
<saml2:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<saml2:KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate><![CDATA[]]>{cert}</X509Certificate></X509Data></KeyInfo></saml2:KeyDescriptor>
</saml2:IDPSSODescriptor></saml2:EntityDescriptor>"#
        );
        let m = parse_metadata(&doc);
        assert_eq!(m.parse_error, None);
        assert_eq!(fingerprints(&m.signing_certs), vec![IDENTITY_CENTER_SHA256]);
        assert!(m.sso_endpoints.is_empty());
    }

    #[test]
    fn entities_descriptor_takes_first_idp_entity() {
        let doc = format!(
            r#"<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" validUntil="2026-12-01T00:00:00Z">
  <EntityDescriptor entityID="urn:sp-only">
    <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      {sp_key}
    </SPSSODescriptor>
  </EntityDescriptor>
  <EntityDescriptor entityID="urn:first-idp" validUntil="2027-06-01T00:00:00Z">
    <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      {idp_key}
      <SingleSignOnService Binding="b" Location="https://first/sso"/>
    </IDPSSODescriptor>
  </EntityDescriptor>
  <EntityDescriptor entityID="urn:second-idp">
    <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      {second_key}
    </IDPSSODescriptor>
  </EntityDescriptor>
</EntitiesDescriptor>"#,
            sp_key = key(Some("signing"), &pem_body(OKTA_LEGACY))
                .replace("md:", "")
                .replace("ds:", ""),
            idp_key = key(Some("signing"), &pem_body(OKTA_NONPROD))
                .replace("md:", "")
                .replace("ds:", ""),
            second_key = key(Some("signing"), &pem_body(OKTA_PROD))
                .replace("md:", "")
                .replace("ds:", ""),
        );
        let m = parse_metadata(&doc);
        assert_eq!(m.parse_error, None);
        assert_eq!(m.entity_id.as_deref(), Some("urn:first-idp"));
        // The enclosing EntitiesDescriptor expires first, so it bounds the entity.
        assert_eq!(m.valid_until, Some(at("2026-12-01T00:00:00Z")));
        assert_eq!(m.sso_endpoints, vec!["https://first/sso"]);
        assert_eq!(fingerprints(&m.signing_certs), vec![OKTA_NONPROD_SHA256]);
        assert_eq!(m.signing_certs[0].key_type, "EC");
    }

    #[test]
    fn two_signing_certificates_during_rotation() {
        let keys = key(Some("signing"), &pem_body(OKTA_LEGACY))
            + &key(Some("signing"), &pem_body(OKTA_PROD));
        let m = parse_metadata(&idp_with_keys(&keys));
        assert_eq!(m.parse_error, None);
        assert_eq!(
            fingerprints(&m.signing_certs),
            vec![OKTA_LEGACY_SHA256, OKTA_PROD_SHA256]
        );
    }

    #[test]
    fn encryption_certificate_is_separate_and_no_use_means_signing() {
        let keys =
            key(Some("encryption"), &pem_body(ENTRA_PROD)) + &key(None, &pem_body(OKTA_PROD));
        let m = parse_metadata(&idp_with_keys(&keys));
        assert_eq!(m.parse_error, None);
        assert_eq!(fingerprints(&m.signing_certs), vec![OKTA_PROD_SHA256]);
        assert_eq!(fingerprints(&m.encryption_certs), vec![ENTRA_PROD_SHA256]);
    }

    #[test]
    fn unknown_use_is_reported_and_skipped() {
        let keys =
            key(Some("both"), &pem_body(ENTRA_PROD)) + &key(Some("signing"), &pem_body(OKTA_PROD));
        let m = parse_metadata(&idp_with_keys(&keys));
        assert_eq!(
            m.parse_error.as_deref(),
            Some(r#"key descriptor 1 has unknown use "both", its certificates are skipped"#)
        );
        assert_eq!(fingerprints(&m.signing_certs), vec![OKTA_PROD_SHA256]);
        assert!(m.encryption_certs.is_empty());
    }

    #[test]
    fn no_signing_certificate_is_not_an_error() {
        let m = parse_metadata(&idp_with_keys(""));
        assert_eq!(m.parse_error, None);
        assert!(m.signing_certs.is_empty());
        assert_eq!(m.sso_endpoints, vec!["https://idp.example.com/sso"]);
    }

    #[test]
    fn no_idp_descriptor_is_an_error() {
        let doc = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="urn:sp">
<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>"#;
        let m = parse_metadata(doc);
        assert_eq!(
            m.parse_error.as_deref(),
            Some("metadata has no IDPSSODescriptor element")
        );
        assert_eq!(m.entity_id.as_deref(), Some("urn:sp"));
        let empty =
            parse_metadata(r#"<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"/>"#);
        assert_eq!(
            empty.parse_error.as_deref(),
            Some("metadata has no EntityDescriptor element")
        );
    }

    #[test]
    fn billion_laughs_is_refused_quickly() {
        let mut doc =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for i in 1..10 {
            let prev = if i == 1 {
                "lol".to_owned()
            } else {
                format!("lol{}", i - 1)
            };
            doc.push_str(&format!(
                "<!ENTITY lol{i} \"{}\">\n",
                format!("&{prev};").repeat(10)
            ));
        }
        doc.push_str("]>\n<EntityDescriptor entityID=\"&lol9;\"/>");
        let started = Instant::now();
        let m = parse_metadata(&doc);
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(
            m.parse_error.as_deref(),
            Some("metadata contains <!DOCTYPE, refused to prevent entity expansion")
        );
        assert_eq!(m.entity_id, None);

        // An ENTITY declaration anywhere, even without a DOCTYPE, and in any case.
        let sneaky = format!("<!-- <!entity x 'y'> -->{}", okta_metadata());
        assert_eq!(
            parse_metadata(&sneaky).parse_error.as_deref(),
            Some("metadata contains <!ENTITY, refused to prevent entity expansion")
        );
    }

    #[test]
    fn undefined_entity_is_an_error() {
        let doc = okta_metadata().replace(
            "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            "&ext;",
        );
        let m = parse_metadata(&doc);
        assert_eq!(
            m.parse_error.as_deref(),
            Some("metadata uses the undefined entity &ext;")
        );
        // What was read before the failure is kept.
        assert_eq!(fingerprints(&m.signing_certs), vec![OKTA_PROD_SHA256]);
        assert!(m.sso_endpoints.is_empty());
    }

    #[test]
    fn truncated_document() {
        let doc = okta_metadata();
        let cut = doc.find("<md:NameIDFormat>").unwrap();
        let m = parse_metadata(&doc[..cut]);
        assert_eq!(
            m.parse_error.as_deref(),
            Some(r#"metadata is truncated: element IDPSSODescriptor is not closed"#)
        );
        assert_eq!(m.entity_id.as_deref(), Some("http://www.okta.com/exk1prod"));
        assert_eq!(fingerprints(&m.signing_certs), vec![OKTA_PROD_SHA256]);

        // Cut inside the base64: the certificate is incomplete, so it is not returned.
        let cut = doc.find("</ds:X509Certificate>").unwrap() - 100;
        let m = parse_metadata(&doc[..cut]);
        assert!(m.parse_error.unwrap().starts_with("metadata is truncated"));
        assert!(m.signing_certs.is_empty());

        // Cut inside a tag.
        let cut = doc.find("<md:SingleSignOnService").unwrap() + 10;
        let m = parse_metadata(&doc[..cut]);
        let error = m.parse_error.unwrap();
        assert!(
            error.starts_with("metadata is not well-formed xml at byte"),
            "{error}"
        );

        // Every prefix of the document is handled, and only the whole one (give or take the
        // final line break) is clean.
        for end in (0..doc.trim_end().len()).filter(|i| doc.is_char_boundary(*i)) {
            let m = parse_metadata(&doc[..end]);
            assert!(m.parse_error.is_some(), "prefix of {end} bytes accepted");
        }
    }

    #[test]
    fn mismatched_end_tag() {
        let doc = okta_metadata().replace("</md:IDPSSODescriptor>", "</md:IDPSSO>");
        let error = parse_metadata(&doc).parse_error.unwrap();
        assert!(
            error.starts_with("metadata is not well-formed xml at byte"),
            "{error}"
        );
    }

    #[test]
    fn not_xml() {
        for (doc, error) in [
            (
                "hello world",
                "metadata is not xml: it has text outside any element",
            ),
            (
                r#"{"SAMLMetadataDocument": "x"}"#,
                "metadata is not xml: it has text outside any element",
            ),
            (
                "<!-- just a comment -->",
                "metadata is not xml: it has no element",
            ),
            (
                "<html><body>503</body></html>",
                r#"root element is "html", not EntityDescriptor or EntitiesDescriptor"#,
            ),
            (
                "<EntityDescriptor/><EntityDescriptor/>",
                "metadata has more than one root element",
            ),
        ] {
            let m = parse_metadata(doc);
            assert_eq!(m.parse_error.as_deref(), Some(error), "{doc}");
            assert_eq!(m.entity_id, None);
        }
        let m = parse_metadata(
            "<?xml version=\"1.0\"?>\n<EntityDescriptor entityID=\"x\" entityID=\"y\"/>",
        );
        assert!(m.parse_error.unwrap().contains("attribute"));
    }

    #[test]
    fn empty_document() {
        for doc in ["", "  \n\t", "\u{feff}"] {
            let m = parse_metadata(doc);
            assert_eq!(
                m,
                SamlMetadata {
                    parse_error: m.parse_error.clone(),
                    ..SamlMetadata::default()
                }
            );
            assert!(m.parse_error.unwrap().ends_with("metadata is empty"));
        }
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let plain = parse_metadata(&okta_metadata());
        let m = parse_metadata(&format!("\u{feff}{}", okta_metadata()));
        assert_eq!(m.parse_error, None);
        assert_eq!(m, plain);
        assert_eq!(fingerprints(&m.signing_certs), vec![OKTA_PROD_SHA256]);
    }

    #[test]
    fn oversized_document_is_refused_unread() {
        let doc = "a".repeat(MAX_DOCUMENT_CHARS + 1);
        let started = Instant::now();
        let m = parse_metadata(&doc);
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(
            m.parse_error.as_deref(),
            Some("metadata is longer than 10000000 characters, the most iam accepts")
        );
        // The limit is in characters: 5,000,001 two-byte characters are not too long.
        let wide = "é".repeat(MAX_DOCUMENT_CHARS / 2 + 1);
        assert_eq!(
            parse_metadata(&wide).parse_error.as_deref(),
            Some("metadata is not xml: it has text outside any element")
        );
    }

    #[test]
    fn bad_base64_and_bad_der_are_skipped_and_named() {
        let keys = key(Some("signing"), &pem_body(OKTA_PROD))
            + &key(Some("signing"), "@@not base64@@")
            + &key(Some("encryption"), "aGVsbG8=")
            + &key(Some("signing"), &pem_body(OKTA_LEGACY));
        let m = parse_metadata(&idp_with_keys(&keys));
        assert_eq!(
            m.parse_error.as_deref(),
            Some(
                "signing certificate 2: invalid base64; encryption certificate 1: not an x.509 certificate (nom error: eof)"
            )
        );
        assert_eq!(
            fingerprints(&m.signing_certs),
            vec![OKTA_PROD_SHA256, OKTA_LEGACY_SHA256]
        );
        assert!(m.encryption_certs.is_empty());
        let empty = parse_metadata(&idp_with_keys(&key(None, "")));
        assert_eq!(
            empty.parse_error.as_deref(),
            Some("signing certificate 1: empty certificate")
        );
    }

    #[test]
    fn depth_is_bounded() {
        let deep = format!(
            "<EntityDescriptor entityID=\"x\">{}{}</EntityDescriptor>",
            "<a>".repeat(200),
            "</a>".repeat(200)
        );
        assert_eq!(
            parse_metadata(&deep).parse_error.as_deref(),
            Some("metadata nests elements more than 64 deep")
        );
    }

    #[test]
    fn key_descriptors_are_bounded() {
        let keys = key(Some("signing"), &pem_body(OKTA_PROD)).repeat(MAX_KEYS + 1);
        let m = parse_metadata(&idp_with_keys(&keys));
        assert_eq!(
            m.parse_error.as_deref(),
            Some("metadata has more than 100 KeyDescriptor elements")
        );
        assert_eq!(m.signing_certs.len(), MAX_KEYS);
        // Many certificates in one KeyDescriptor are bounded too.
        let many = format!(
            "<md:KeyDescriptor><ds:KeyInfo><ds:X509Data>{}</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>",
            format!(
                "<ds:X509Certificate>{}</ds:X509Certificate>",
                pem_body(OKTA_PROD)
            )
            .repeat(MAX_KEYS + 1)
        );
        assert_eq!(
            parse_metadata(&idp_with_keys(&many)).parse_error.as_deref(),
            Some("metadata has more than 100 X509Certificate elements")
        );
    }

    #[test]
    fn valid_until_forms() {
        for (value, expected) in [
            ("2027-01-01T00:00:00Z", Some("2027-01-01T00:00:00Z")),
            ("2027-01-01T00:00:00.123Z", Some("2027-01-01T00:00:00.123Z")),
            ("2027-01-01T02:00:00+02:00", Some("2027-01-01T00:00:00Z")),
            ("2027-01-01T00:00:00", Some("2027-01-01T00:00:00Z")),
            (" 2027-01-01T00:00:00Z ", Some("2027-01-01T00:00:00Z")),
        ] {
            let doc = okta_metadata().replace("2027-01-01T00:00:00Z", value);
            let m = parse_metadata(&doc);
            assert_eq!(m.parse_error, None, "{value}");
            assert_eq!(m.valid_until, expected.map(at), "{value}");
        }
        let m = parse_metadata(&okta_metadata().replace("2027-01-01T00:00:00Z", "next year"));
        assert_eq!(
            m.parse_error.as_deref(),
            Some(r#"validUntil "next year" is not an xs:dateTime"#)
        );
        assert_eq!(m.valid_until, None);
        assert_eq!(m.signing_certs.len(), 1);
    }

    #[test]
    fn bad_valid_until_on_entities_descriptor_is_reported() {
        let doc = format!(
            r#"<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" validUntil="soon">{}</md:EntitiesDescriptor>"#,
            idp_with_keys("")
        );
        let m = parse_metadata(&doc);
        assert_eq!(
            m.parse_error.as_deref(),
            Some(r#"validUntil "soon" is not an xs:dateTime"#)
        );
        assert_eq!(m.entity_id.as_deref(), Some("urn:test"));
        assert_eq!(m.valid_until, None);
    }

    #[test]
    fn hostile_names_and_values_are_shortened_in_messages() {
        let long = "x".repeat(10_000);
        let m = parse_metadata(&format!("<{long}/>"));
        let error = m.parse_error.unwrap();
        assert!(error.len() < 200, "{error}");
        let keys = key(Some(&long), &pem_body(OKTA_PROD));
        let error = parse_metadata(&idp_with_keys(&keys)).parse_error.unwrap();
        assert!(error.len() < 200, "{error}");
    }

    #[test]
    fn parse_error_is_one_line() {
        let doc = idp_with_keys(&key(Some("sign&#10;ing"), &pem_body(OKTA_PROD)));
        let error = parse_metadata(&doc).parse_error.unwrap();
        assert!(!error.contains('\n'), "{error}");
    }

    /// Applies one mutation to `doc`: truncate, delete a range, insert text, or duplicate a
    /// range. Positions are taken modulo the length and moved back to a character boundary.
    fn mutate(doc: &str, kind: u8, a: usize, b: usize, insert: &str) -> String {
        let boundary = |i: usize| {
            let mut i = i % (doc.len() + 1);
            while !doc.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let (x, y) = (boundary(a), boundary(b));
        let (lo, hi) = (x.min(y), x.max(y));
        match kind % 4 {
            0 => doc[..lo].to_owned(),
            1 => format!("{}{}", &doc[..lo], &doc[hi..]),
            2 => format!("{}{}{}", &doc[..lo], insert, &doc[lo..]),
            _ => format!("{}{}{}", &doc[..hi], &doc[lo..hi], &doc[hi..]),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn arbitrary_strings_never_panic(doc in any::<String>()) {
            let _ = parse_metadata(&doc);
        }

        #[test]
        fn xml_like_strings_never_panic(doc in r#"[<>/!?="'&;#a-zA-Z: \n\[\]-]{0,200}"#) {
            let _ = parse_metadata(&doc);
        }

        #[test]
        fn mutated_metadata_never_panics(
            base in 0usize..2,
            mutations in proptest::collection::vec(
                (any::<u8>(), any::<usize>(), any::<usize>(), r#"[<>/!="&;#\]\[a-zA-Z0-9+ ]{0,12}|</md:KeyDescriptor>|<ds:X509Certificate>|&#13;|\u{feff}"#),
                1..4,
            ),
        ) {
            let mut doc = if base == 0 { okta_metadata() } else { entra_metadata() };
            for (kind, a, b, insert) in &mutations {
                doc = mutate(&doc, *kind, *a, *b, insert);
            }
            let m = parse_metadata(&doc);
            if let Some(error) = &m.parse_error {
                prop_assert!(!error.is_empty() && !error.contains('\n'));
            }
        }
    }
}
