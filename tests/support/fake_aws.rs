//! A fake AWS Marketplace on 127.0.0.1, for the AWS SDK to talk to (`AWS_ENDPOINT_URL`): the
//! Catalog API's REST-JSON (`POST /ListEntities`, `POST /BatchDescribeEntities`,
//! `GET /DescribeEntity`, `POST /StartChangeSet`, `GET /DescribeChangeSet`, errors as
//! `x-amzn-ErrorType` and `{"Message"}`) and the Agreement API's JSON 1.0 (`POST /` with
//! `X-Amz-Target: AWSMPCommerceService_v20200301.SearchAgreements`, `DescribeAgreement`,
//! `GetAgreementTerms`; errors as `{"__type", "message"}`; times as epoch seconds), and the
//! same operations in RPC v2 CBOR (`POST /service/AWSMPCommerceService_v20200301/operation/
//! SearchAgreements`, `smithy-protocol: rpc-v2-cbor`), which the Rust SDK speaks to it; as
//! botocore's models for the two services describe them.
//!
//! It holds entities (describe-entity documents) and agreements, answers as the account whose
//! access key signs the request (`AKID` + 12 digits): its `SELF` authorizations are those it
//! granted, `SHARED` those it received, its offers those made from an authorization it
//! received. Pages hold `page` entities with a `NextToken`. It runs change sets: PREPARING,
//! then APPLYING, then SUCCEEDED (the entity created as `aws_answers::described` writes it) or
//! FAILED with the errors it was told; an entity in a running change set is locked
//! (`ResourceInUseException`). Faults on demand: throttle an operation N times, deny one
//! (either from its Nth request on), drop every connection from the Nth request on, stall
//! from the Nth, or keep an operation's first answers waiting. A latency per request, for the
//! pull benchmark (AWS answers in some 100 ms; the tests want none). It counts the most
//! requests it had in flight at once.
//!
//! Plain threads and `std::net`: no runtime of its own, and it stops with the test.
#![allow(dead_code, reason = "each test binary uses a different part of it")]

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use serde_json::{Value, json};

/// One entity AWS holds.
#[derive(Debug, Clone)]
struct Held {
    /// As `describe-entity` answers.
    doc: Value,
    last_modified: String,
}

/// A change set AWS is running or ran.
#[derive(Debug, Clone)]
struct Run {
    request: Value,
    /// The account that started it.
    account: String,
    looks: usize,
    outcome: Outcome,
    /// The id of the entity it creates (or updates).
    entity: Option<String>,
}

/// How the next change set ends.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Succeed,
    /// (change type, code, message) errors.
    Fail(Vec<(String, String, String)>),
}

#[derive(Default)]
struct State {
    entities: BTreeMap<String, Held>,
    agreements: BTreeMap<String, Value>,
    terms: HashMap<String, Value>,
    runs: HashMap<String, Run>,
    tokens: HashMap<String, String>,
    next_outcome: Option<Outcome>,
    /// Operations to throttle: from which of their requests (counted from 1), and how many
    /// more times.
    throttle: HashMap<String, (usize, usize)>,
    /// Operations to deny, from which of their requests on.
    deny: HashMap<String, usize>,
    /// Operations whose first requests wait: how many more, and how long.
    slow: HashMap<String, (usize, Duration)>,
    /// The requests of each operation so far.
    asked: HashMap<String, usize>,
    in_flight: usize,
    most_in_flight: usize,
    drop_from: Option<usize>,
    stall_from: Option<usize>,
    /// How long each request waits before its answer (none unless told).
    latency: Duration,
    requests: usize,
    /// Every request: (operation, the caller's account, the body).
    log: Vec<(String, String, Value)>,
    page: usize,
    /// The product dimensions an authorization created by a change set has: (key, unit).
    dimensions: Vec<(String, String)>,
    serial: usize,
    now: String,
    /// The account whose role the instance metadata service hands out, if any.
    instance_role: Option<String>,
}

pub struct FakeAws {
    pub url: String,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl FakeAws {
    /// A fake with no entities, listening on a free port of 127.0.0.1.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            page: 2,
            now: "2026-11-29T10:00:00Z".into(),
            dimensions: vec![("users".into(), "user".into())],
            ..State::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, halt) = (state.clone(), stop.clone());
        thread::spawn(move || {
            for conn in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(conn) = conn else { continue };
                let s = s.clone();
                thread::spawn(move || serve(conn, &s));
            }
        });
        Self { url, state, stop }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Holds the `describe-entity` answer `doc` (its `LastModifiedDate` as given).
    pub fn put(&self, doc: Value) {
        let id = doc["EntityIdentifier"].as_str().unwrap().split('@').next().unwrap().to_owned();
        let last_modified = doc["LastModifiedDate"].as_str().unwrap_or("2026-01-01T00:00:00Z").to_owned();
        self.state().entities.insert(id, Held { doc, last_modified });
    }

    /// Holds an agreement (a `describe-agreement` answer) and its `get-agreement-terms` answer.
    pub fn put_agreement(&self, describe: Value, terms: Option<Value>) {
        let id = describe["agreementId"].as_str().unwrap().to_owned();
        if let Some(t) = terms {
            self.state().terms.insert(id.clone(), t);
        }
        self.state().agreements.insert(id, describe);
    }

    /// Changes entity `id` on AWS at `at`: `edit` its document.
    pub fn modify(&self, id: &str, at: &str, edit: impl FnOnce(&mut Value)) {
        let mut s = self.state();
        let held = s.entities.get_mut(id).unwrap_or_else(|| panic!("{id} is not on the fake AWS"));
        edit(&mut held.doc["DetailsDocument"]);
        held.doc["LastModifiedDate"] = json!(at);
        held.last_modified = at.to_owned();
    }

    pub fn page_size(&self, n: usize) {
        self.state().page = n;
    }
    pub fn throttle(&self, operation: &str, times: usize) {
        self.throttle_from(operation, 1, times);
    }
    /// `operation`'s requests from its `nth` (counted from 1) are throttled, `times` times.
    pub fn throttle_from(&self, operation: &str, nth: usize, times: usize) {
        self.state().throttle.insert(operation.into(), (nth, times));
    }
    pub fn deny(&self, operation: &str) {
        self.deny_from(operation, 1);
    }
    /// `operation` is denied from its `nth` request (counted from 1) on.
    pub fn deny_from(&self, operation: &str, nth: usize) {
        self.state().deny.insert(operation.into(), nth);
    }
    /// The first `n` requests of `operation` wait `d` before their answers: later requests,
    /// sent while these wait, are answered first.
    pub fn slow(&self, operation: &str, n: usize, d: Duration) {
        self.state().slow.insert(operation.into(), (n, d));
    }
    /// The most requests the fake had in flight at once (read, not answered yet).
    pub fn most_in_flight(&self) -> usize {
        self.state().most_in_flight
    }
    /// Every request from the `n`th (counted from 1) on loses its connection.
    pub fn drop_from(&self, n: usize) {
        self.state().drop_from = Some(n);
    }
    /// Every request from the `n`th on waits (up to a minute) without an answer.
    pub fn stall_from(&self, n: usize) {
        self.state().stall_from = Some(n);
    }
    /// Every request from now on waits `d` before its answer, as a round trip to AWS does.
    /// Requests on different connections wait side by side (a thread per connection).
    pub fn latency(&self, d: Duration) {
        self.state().latency = d;
    }
    pub fn next_change_set(&self, outcome: Outcome) {
        self.state().next_outcome = Some(outcome);
    }
    /// A change set of someone else's, still running, holds entity `id`.
    pub fn lock(&self, id: &str) {
        let mut s = self.state();
        s.serial += 1;
        let run = Run {
            request: json!({}),
            account: String::new(),
            looks: 0,
            outcome: Outcome::Succeed,
            entity: Some(id.into()),
        };
        let key = format!("cs-other-{}", s.serial);
        s.runs.insert(key, run);
    }
    /// Serves EC2's instance metadata (IMDSv2, `AWS_EC2_METADATA_SERVICE_ENDPOINT`): a role
    /// whose credentials sign as `account`.
    pub fn instance_role(&self, account: &str) {
        self.state().instance_role = Some(account.into());
    }
    pub fn dimensions(&self, dims: &[(&str, &str)]) {
        self.state().dimensions = dims.iter().map(|(k, u)| ((*k).to_owned(), (*u).to_owned())).collect();
    }
    /// The requests received so far, answered or not (what [`Self::stall_from`] counts).
    pub fn requests(&self) -> usize {
        self.state().requests
    }
    /// The operations asked so far, in order.
    pub fn operations(&self) -> Vec<String> {
        self.state().log.iter().map(|(op, _, _)| op.clone()).collect()
    }
    /// The bodies of the requests of `operation`.
    pub fn bodies(&self, operation: &str) -> Vec<Value> {
        self.state().log.iter().filter(|(op, _, _)| op == operation).map(|(_, _, b)| b.clone()).collect()
    }
    /// The ids the fake holds.
    pub fn ids(&self) -> Vec<String> {
        self.state().entities.keys().cloned().collect()
    }
    pub fn entity(&self, id: &str) -> Option<Value> {
        self.state().entities.get(id).map(|h| h.doc.clone())
    }
}

impl Drop for FakeAws {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

/// One HTTP/1.1 request.
struct Request {
    method: String,
    path: String,
    query: HashMap<String, String>,
    headers: HashMap<String, String>,
    body: Value,
}

fn read_request(r: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if r.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
    }
    let len: usize = headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    let (path, q) = target.split_once('?').unwrap_or((&target, ""));
    let query = q
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.replace("%40", "@").replace("%3A", ":")))
        .collect();
    let cbor = headers.get("smithy-protocol").is_some_and(|p| p == "rpc-v2-cbor");
    let body = if body.is_empty() {
        Value::Null
    } else if cbor {
        ciborium::de::from_reader::<ciborium::Value, _>(&body[..])
            .ok()
            .and_then(|v| v.deserialized::<Value>().ok())
            .unwrap_or(Value::Null)
    } else {
        serde_json::from_slice(&body).unwrap_or(Value::Null)
    };
    Some(Request { method, path: path.to_owned(), query, headers, body })
}

/// (status, headers, body)
type Answer = (u16, Vec<(&'static str, String)>, Value);

/// A request in flight until this drops: answered, dropped or stalled.
struct Answered<'a>(&'a Arc<Mutex<State>>);

impl Drop for Answered<'_> {
    fn drop(&mut self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).in_flight -= 1;
    }
}

fn serve(conn: TcpStream, state: &Arc<Mutex<State>>) {
    let mut writer = conn.try_clone().unwrap();
    let mut reader = BufReader::new(conn);
    while let Some(req) = read_request(&mut reader) {
        let (n, drop_from, stall_from, wait) = {
            let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
            s.requests += 1;
            s.in_flight += 1;
            s.most_in_flight = s.most_in_flight.max(s.in_flight);
            let slow = match s.slow.get_mut(&operation(&req).0) {
                Some((left, d)) if *left > 0 => {
                    *left -= 1;
                    *d
                }
                _ => Duration::ZERO,
            };
            (s.requests, s.drop_from, s.stall_from, s.latency + slow)
        };
        let _answered = Answered(state);
        if drop_from.is_some_and(|d| n >= d) {
            return;
        }
        if stall_from.is_some_and(|d| n >= d) {
            thread::sleep(Duration::from_secs(60));
            return;
        }
        // Outside the lock, so that requests in flight together wait together.
        if !wait.is_zero() {
            thread::sleep(wait);
        }
        if req.path.starts_with("/latest/") {
            let (status, headers, text) = metadata(&req, &state.lock().unwrap_or_else(|p| p.into_inner()));
            let mut head =
                format!("HTTP/1.1 {status} OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n", text.len());
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            if writer.write_all(format!("{head}\r\n{text}").as_bytes()).is_err() {
                return;
            }
            continue;
        }
        let (status, headers, body) = answer(&req, &mut state.lock().unwrap_or_else(|p| p.into_inner()));
        let cbor = req.path.starts_with("/service/");
        let text = body.to_string();
        let body: Vec<u8> = if cbor {
            let mut out = Vec::new();
            ciborium::ser::into_writer(&to_cbor(&body, ""), &mut out).unwrap();
            out
        } else {
            text.clone().into_bytes()
        };
        if std::env::var("FAKE_AWS_DEBUG").is_ok() {
            eprintln!("fake aws: {} {} -> {status} {text}", req.method, req.path);
        }
        let reason = if status == 200 { "OK" } else { "Error" };
        let kind = if cbor { "application/cbor\r\nsmithy-protocol: rpc-v2-cbor" } else { "application/json" };
        let mut head = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nx-amzn-RequestId: fake-{n}\r\n",
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        // One write: a head and a body written apart meet Nagle's algorithm and the client's
        // delayed ACK, and each answer waits 40 ms for nothing.
        let mut answer = head.into_bytes();
        answer.extend_from_slice(&body);
        if writer.write_all(&answer).is_err() {
            return;
        }
    }
}

/// The instance metadata service, as IMDSv2 answers the credential chain: a session token
/// (`PUT /latest/api/token`), the role's name, then its credentials. 404 without a role.
fn metadata(req: &Request, s: &State) -> (u16, Vec<(&'static str, String)>, String) {
    const ROLE: &str = "cppo-deal-desk";
    let Some(account) = &s.instance_role else { return (404, vec![], "Not Found".into()) };
    match (req.method.as_str(), req.path.as_str()) {
        ("PUT", "/latest/api/token") => {
            (200, vec![("x-aws-ec2-metadata-token-ttl-seconds", "21600".into())], "imds-token".into())
        }
        ("GET", "/latest/meta-data/iam/security-credentials/") => (200, vec![], ROLE.into()),
        ("GET", p) if p == format!("/latest/meta-data/iam/security-credentials/{ROLE}") => (
            200,
            vec![],
            json!({
                "Code": "Success",
                "LastUpdated": "2026-11-29T09:00:00Z",
                "Type": "AWS-HMAC",
                "AccessKeyId": format!("AKID{account}"),
                "SecretAccessKey": "fake-instance-secret",
                "Token": "fake-instance-session",
                "Expiration": "2099-01-01T00:00:00Z",
            })
            .to_string(),
        ),
        _ => (404, vec![], "Not Found".into()),
    }
}

/// The Catalog API's error: its HTTP status, type header and `Message`.
fn catalog_error(code: &str, message: &str) -> Answer {
    let status = match code {
        "AccessDeniedException" | "InvalidSignatureException" => 403,
        "ThrottlingException" => 429,
        "ResourceInUseException" => 423,
        "ResourceNotFoundException" => 404,
        _ => 422,
    };
    (
        status,
        vec![("x-amzn-ErrorType", format!("{code}:http://internal.amazon.com/coral/com.amazonaws.mpcs/"))],
        json!({"Message": message}),
    )
}

/// The Agreement API's error (JSON 1.0): 400 with `__type`.
fn agreement_error(code: &str, message: &str) -> Answer {
    (
        400,
        vec![],
        json!({"__type": format!("com.amazonaws.marketplace.agreement#{code}"), "message": message, "requestId": "fake"}),
    )
}

/// The operation `req` asks for, and whether it is the Agreement API's.
fn operation(req: &Request) -> (String, bool) {
    // The Agreement API: JSON 1.0 names the operation in `X-Amz-Target`; RPC v2 CBOR (what
    // the Rust SDK speaks to it) in the path `/service/<service>/operation/<operation>`.
    let target = req.headers.get("x-amz-target").map(|t| t.rsplit('.').next().unwrap_or_default().to_owned());
    let rpc =
        req.path.strip_prefix("/service/").and_then(|p| p.rsplit_once("/operation/")).map(|(_, op)| op.to_owned());
    let agreement_api = target.is_some() || rpc.is_some();
    (target.or(rpc).unwrap_or_else(|| req.path.trim_start_matches('/').to_owned()), agreement_api)
}

fn answer(req: &Request, s: &mut State) -> Answer {
    let (operation, agreement_api) = operation(req);
    let error = if agreement_api { agreement_error } else { catalog_error };
    // SigV4: `Credential=AKID<account>/<date>/<region>/aws-marketplace/aws4_request`.
    let auth = req.headers.get("authorization").cloned().unwrap_or_default();
    let Some(scope) = auth.split("Credential=").nth(1).map(|c| c.split(',').next().unwrap_or_default().to_owned())
    else {
        return error("MissingAuthenticationTokenException", "Missing Authentication Token");
    };
    let parts: Vec<&str> = scope.split('/').collect();
    let account = parts[0].trim_start_matches("AKID").to_owned();
    if parts.get(2) != Some(&"us-east-1") {
        return error("InvalidSignatureException", "Credential should be scoped to a valid region.");
    }
    s.log.push((operation.clone(), account.clone(), req.body.clone()));
    let nth = {
        let asked = s.asked.entry(operation.clone()).or_default();
        *asked += 1;
        *asked
    };
    if s.deny.get(&operation).is_some_and(|from| nth >= *from) {
        return error(
            "AccessDeniedException",
            &format!("User: arn:aws:iam::{account}:user/ci is not authorized to perform: aws-marketplace:{operation}"),
        );
    }
    if let Some((from, n)) = s.throttle.get_mut(&operation)
        && nth >= *from
        && *n > 0
    {
        *n -= 1;
        return error("ThrottlingException", "Rate exceeded");
    }
    let ok = |body: Value| (200, vec![], body);
    match (req.method.as_str(), operation.as_str()) {
        ("POST", "ListEntities") => ok(list_entities(s, &account, &req.body)),
        ("POST", "BatchDescribeEntities") => ok(batch_describe(s, &req.body)),
        ("GET", "DescribeEntity") => match s.entities.get(req.query.get("entityId").map_or("", String::as_str)) {
            Some(h) => ok(h.doc.clone()),
            None => error("ResourceNotFoundException", "Entity not found"),
        },
        ("POST", "StartChangeSet") => start_change_set(s, &account, &req.body),
        ("GET", "DescribeChangeSet") => describe_change_set(s, req.query.get("changeSetId").map_or("", String::as_str)),
        (_, "SearchAgreements") => ok(search_agreements(s, &account, &req.body)),
        (_, "DescribeAgreement") => match s.agreements.get(req.body["agreementId"].as_str().unwrap_or_default()) {
            Some(a) => ok(a.clone()),
            None => error("ResourceNotFoundException", "Agreement not found"),
        },
        (_, "GetAgreementTerms") => {
            let id = req.body["agreementId"].as_str().unwrap_or_default();
            match s.terms.get(id) {
                Some(t) => ok(t.clone()),
                None => ok(json!({"acceptedTerms": []})),
            }
        }
        _ => error("ValidationException", &format!("unknown operation {} {}", req.method, req.path)),
    }
}

/// The account that granted an authorization, and the one it was granted to.
fn parties(doc: &Value) -> (String, String) {
    let d = &doc["DetailsDocument"];
    let isv = d["ManufacturerAccountId"].as_str().unwrap_or_default().to_owned();
    let partner = d["Rules"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["Type"] == "PartnerTargetingRule")
        .and_then(|r| r["ResellerAccountId"].as_str())
        .unwrap_or_default()
        .to_owned();
    (isv, partner)
}

fn list_entities(s: &State, account: &str, body: &Value) -> Value {
    let entity_type = body["EntityType"].as_str().unwrap_or_default();
    let ownership = body["OwnershipType"].as_str().unwrap_or("SELF");
    let filters = &body["EntityTypeFilters"];
    let after = filters["ResaleAuthorizationFilters"]["LastModifiedDate"]["DateRange"]["AfterValue"]
        .as_str()
        .or(filters["OfferFilters"]["LastModifiedDate"]["DateRange"]["AfterValue"].as_str());
    let max = body["MaxResults"].as_u64().map_or(s.page, |m| (m as usize).min(s.page)).max(1);
    // The token is the last id given: a page reads on from it (the entities are held in id
    // order), so that each page costs its own size, not the whole book (the pull benchmark
    // lists 60,000 entities).
    let after_id = body["NextToken"].as_str().and_then(|t| t.strip_prefix("after-")).map(str::to_owned);
    let from = match &after_id {
        Some(id) => std::ops::Bound::Excluded(id.clone()),
        None => std::ops::Bound::Unbounded,
    };
    let mine: Vec<(&String, &Held)> = s
        .entities
        .range((from, std::ops::Bound::Unbounded))
        .filter(|(_, h)| h.doc["EntityType"].as_str().is_some_and(|t| t.starts_with(entity_type)))
        .filter(|(_, h)| after.is_none_or(|a| h.last_modified.as_str() >= a))
        .filter(|(_, h)| {
            if entity_type == "ResaleAuthorization" {
                let (isv, partner) = parties(&h.doc);
                if ownership == "SHARED" { partner == account } else { isv == account }
            } else {
                let ra = h.doc["DetailsDocument"]["ResaleAuthorizationId"].as_str().unwrap_or_default();
                s.entities.get(ra).is_some_and(|r| parties(&r.doc).1 == account)
            }
        })
        .take(max + 1)
        .collect();
    let list: Vec<Value> = mine
        .iter()
        .take(max)
        .map(|(id, h)| {
            let mut e = json!({
                "EntityId": id, "EntityType": entity_type, "Name": h.doc["DetailsDocument"]["Name"],
                "EntityArn": format!("arn:aws:aws-marketplace:us-east-1:000000000000:AWSMarketplace/{entity_type}/{id}"),
                "LastModifiedDate": h.last_modified,
            });
            if entity_type == "Offer" {
                e["OfferSummary"] = json!({"Name": h.doc["DetailsDocument"]["Name"],
                    "ResaleAuthorizationId": h.doc["DetailsDocument"]["ResaleAuthorizationId"]});
            } else {
                e["ResaleAuthorizationSummary"] = json!({"Name": h.doc["DetailsDocument"]["Name"]});
            }
            e
        })
        .collect();
    let mut v = json!({ "EntitySummaryList": list });
    if mine.len() > max {
        v["NextToken"] = json!(format!("after-{}", mine[max - 1].0));
    }
    v
}

fn batch_describe(s: &State, body: &Value) -> Value {
    let mut details = serde_json::Map::new();
    let mut errors = serde_json::Map::new();
    for r in body["EntityRequestList"].as_array().into_iter().flatten() {
        let id = r["EntityId"].as_str().unwrap_or_default();
        match s.entities.get(id) {
            Some(h) => {
                let mut d = h.doc.clone();
                d.as_object_mut().unwrap().remove("Details");
                details.insert(id.to_owned(), d);
            }
            None => {
                errors.insert(
                    id.to_owned(),
                    json!({"ErrorCode": "ResourceNotFoundException", "ErrorMessage": "Entity not found"}),
                );
            }
        }
    }
    json!({"EntityDetails": details, "Errors": errors})
}

fn start_change_set(s: &mut State, account: &str, body: &Value) -> Answer {
    if let Some(token) = body["ClientRequestToken"].as_str()
        && let Some(id) = s.tokens.get(token)
    {
        return (200, vec![], json!({"ChangeSetId": id, "ChangeSetArn": format!("arn:cs/{id}")}));
    }
    let targets: Vec<String> = body["ChangeSet"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["Entity"]["Identifier"].as_str())
        .filter(|i| !i.starts_with('$'))
        .map(str::to_owned)
        .collect();
    let locked = s.runs.values().any(|r| r.looks < 2 && r.entity.as_ref().is_some_and(|e| targets.contains(e)));
    if locked {
        return catalog_error("ResourceInUseException", "The entity is locked by another change set.");
    }
    s.serial += 1;
    let id = format!("cs{:0>23}", s.serial);
    let outcome = s.next_outcome.take().unwrap_or(Outcome::Succeed);
    let validate = body["Intent"] == "VALIDATE";
    let creates = targets.is_empty();
    let entity = if creates && !validate {
        let kind = if body["ChangeSet"][0]["Entity"]["Type"] == "Offer@1.0" { "offer" } else { "resaleauthz" };
        Some(format!("{kind}-fake{:0>9}", s.serial))
    } else {
        targets.first().cloned()
    };
    s.runs.insert(id.clone(), Run { request: body.clone(), account: account.to_owned(), looks: 0, outcome, entity });
    if let Some(token) = body["ClientRequestToken"].as_str() {
        s.tokens.insert(token.to_owned(), id.clone());
    }
    (200, vec![], json!({"ChangeSetId": id, "ChangeSetArn": format!("arn:cs/{id}")}))
}

// The including binary has `aws_answers` (tests/support/aws_answers.rs) at its root.
use crate::aws_answers;

fn describe_change_set(s: &mut State, id: &str) -> Answer {
    let Some(run) = s.runs.get_mut(id) else {
        return catalog_error("ResourceNotFoundException", "Change set not found");
    };
    run.looks += 1;
    let run = run.clone();
    let status = |st: &str| {
        let mut a = aws_answers::succeeded(&run.request, id, run.entity.as_deref().unwrap_or("none"));
        a["Status"] = json!(st);
        a["EndTime"] = Value::Null;
        a
    };
    match run.looks {
        1 => return (200, vec![], status("PREPARING")),
        2 => return (200, vec![], status("APPLYING")),
        _ => {}
    }
    let validate = run.request["Intent"] == "VALIDATE";
    match &run.outcome {
        Outcome::Fail(errors) => {
            let e: Vec<(&str, &str, &str)> =
                errors.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
            (200, vec![], aws_answers::failed(&run.request, id, &e))
        }
        Outcome::Succeed => {
            let entity = run.entity.clone().unwrap_or_default();
            let mut answer = aws_answers::succeeded(&run.request, id, &entity);
            if validate {
                // A validation creates nothing: no entity has an id yet.
                for (c, asked) in answer["ChangeSet"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .zip(run.request["ChangeSet"].as_array().unwrap())
                {
                    if asked["Entity"]["Identifier"].as_str().is_none_or(|i| i.starts_with('$')) {
                        c["Entity"].as_object_mut().unwrap().remove("Identifier");
                    }
                }
                answer["Intent"] = json!("VALIDATE");
            }
            if !validate && run.looks == 3 {
                apply(s, &run, &entity);
            }
            (200, vec![], answer)
        }
    }
}

/// The entity AWS holds once `run` SUCCEEDED.
fn apply(s: &mut State, run: &Run, id: &str) {
    let now = s.now.clone();
    if let Some(held) = s.entities.get_mut(id) {
        // An update: what cppo's change set moves (state and availability).
        for c in run.request["ChangeSet"].as_array().into_iter().flatten() {
            match c["ChangeType"].as_str().unwrap_or_default() {
                "ReleaseOffer" => held.doc["DetailsDocument"]["State"] = json!("Released"),
                "ReleaseResaleAuthorization" => held.doc["DetailsDocument"]["Status"] = json!("Active"),
                _ => {}
            }
        }
        held.last_modified = now.clone();
        held.doc["LastModifiedDate"] = json!(now);
        return;
    }
    let first = &run.request["ChangeSet"][0];
    let owner = run.account.clone();
    let dims: Vec<(&str, &str)> = s.dimensions.iter().map(|(k, u)| (k.as_str(), u.as_str())).collect();
    let mut doc = aws_answers::described(&run.request, id, &owner, &dims);
    if doc["EntityType"] == "Offer@1.0" {
        let ra = first["DetailsDocument"]["ResaleAuthorizationId"].as_str().unwrap_or_default().to_owned();
        let product = s.entities.get(&ra).map(|r| r.doc["DetailsDocument"]["ProductId"].clone()).unwrap_or(Value::Null);
        doc["DetailsDocument"]["ProductId"] = product;
        doc["DetailsDocument"]["ResaleAuthorizationId"] = json!(ra);
    }
    if doc["EntityType"] == "ResaleAuthorization@1.0" {
        // As AWS's own answers: the day it made the authorization (not the day cppo drafted it).
        doc["DetailsDocument"]["CreatedDate"] = json!(now);
    }
    doc["LastModifiedDate"] = json!(now);
    s.entities.insert(id.to_owned(), Held { doc, last_modified: now });
}

fn search_agreements(s: &State, account: &str, body: &Value) -> Value {
    let found: Vec<&Value> = s.agreements.values().filter(|a| a["proposer"]["accountId"] == account).collect();
    let max = body["maxResults"].as_u64().map_or(s.page, |m| (m as usize).min(s.page));
    let start: usize =
        body["nextToken"].as_str().and_then(|t| t.strip_prefix("page-")).and_then(|n| n.parse().ok()).unwrap_or(0);
    let list: Vec<Value> = found
        .iter()
        .skip(start)
        .take(max)
        .map(|a| {
            let mut v = (*a).clone();
            v.as_object_mut().unwrap().remove("estimatedCharges");
            v
        })
        .collect();
    let mut v = json!({"agreementViewSummaries": list});
    if start + max < found.len() {
        v["nextToken"] = json!(format!("page-{}", start + max));
    }
    v
}

/// JSON as RPC v2 CBOR writes it: a time (a member named `...Time` or `...Date` holding RFC
/// 3339 text) as tag 1 over epoch seconds, nulls left out.
fn to_cbor(v: &Value, key: &str) -> ciborium::Value {
    use ciborium::Value as C;
    match v {
        Value::Object(m) => {
            C::Map(m.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (C::Text(k.clone()), to_cbor(v, k))).collect())
        }
        Value::Array(a) => C::Array(a.iter().map(|v| to_cbor(v, "")).collect()),
        Value::String(t) if key.ends_with("Time") || key.ends_with("Date") => {
            match chrono::DateTime::parse_from_rfc3339(t) {
                Ok(t) => C::Tag(1, Box::new(C::Float(t.timestamp_millis() as f64 / 1000.0))),
                Err(_) => C::Text(t.clone()),
            }
        }
        Value::String(t) => C::Text(t.clone()),
        Value::Bool(b) => C::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => C::Integer(i.into()),
            None => C::Float(n.as_f64().unwrap_or_default()),
        },
        Value::Null => C::Null,
    }
}
