//! Re-validation with the builders, and the operation merchant hooks see.

#[allow(unused_imports)]
use crate::prelude::*;
use serde::Serialize;

use super::code::ProxyError;
use super::http::Route;
use super::policy::{apply_server_fields, ServerFields};
use crate::api::body::Body;
use crate::api::operation::{args_from_http, OpName};
use crate::api::{self, BuildOptions, Request, Value};

/// One scheduled charge, as hooks see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduledCharge {
    /// Its order id.
    pub merchant_uid: String,
    /// Its amount.
    pub amount: u64,
    /// When it runs (UNIX seconds).
    pub schedule_at: i64,
}

/// What merchant hooks see: names, uids, amounts and the fields the browser
/// controls, **never card fields**.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationInfo {
    /// The operation (`onetime`, `again`, …).
    pub name: OpName,
    /// The order id, for charges and look-ups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_uid: Option<String>,
    /// The billing key id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_uid: Option<String>,
    /// Iamport's payment id (`getPayment`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imp_uid: Option<String>,
    /// **Every** order id the request touches (`merchantUid` included): an
    /// ownership check reads this list.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merchant_uids: Vec<String>,
    /// **Every** billing key id the request touches (`customerUid` included).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub customer_uids: Vec<String>,
    /// The amount of a charge (a schedule's: the sum of its charges).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
    /// A schedule's charges, each priced on its own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub schedules: Vec<ScheduledCharge>,
    /// A schedule's test charge (`checking_amount`), priced too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checking_amount: Option<u64>,
    /// The order name (`name` in Iamport's body).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_name: Option<String>,
    /// The buyer's (or billing-key customer's) name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_name: Option<String>,
    /// `pg` as sent upstream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pg: Option<String>,
    /// `channel_key` as sent upstream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_key: Option<String>,
    /// `notice_url` as sent upstream (the first, for schedules).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_url: Option<String>,
    /// `custom_data`: **browser-controlled**, never to be trusted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<String>,
}

impl OperationInfo {
    fn new(name: OpName) -> Self {
        OperationInfo {
            name,
            merchant_uid: None,
            customer_uid: None,
            imp_uid: None,
            merchant_uids: Vec::new(),
            customer_uids: Vec::new(),
            amount: None,
            schedules: Vec::new(),
            checking_amount: None,
            order_name: None,
            buyer_name: None,
            pg: None,
            channel_key: None,
            notice_url: None,
            custom_data: None,
        }
    }

    /// The operation of a request the builders made.
    pub fn of(name: OpName, params: &[String], request: &Request) -> Self {
        let mut op = OperationInfo::new(name);
        match &request.body {
            Some(Body::OnetimePayment(b)) => {
                op.merchant_uid = Some(b.merchant_uid.clone());
                op.customer_uid = b.customer_uid.clone();
                op.amount = Some(b.amount);
                op.order_name = b.extras.name.clone();
                op.buyer_name = b.extras.buyer.buyer_name.clone();
                op.pg = b.pg.clone();
                op.notice_url = b.extras.notice_url.clone();
                op.custom_data = b.extras.custom_data.clone();
            }
            Some(Body::AgainPayment(b)) => {
                op.merchant_uid = Some(b.merchant_uid.clone());
                op.customer_uid = Some(b.customer_uid.clone());
                op.amount = Some(b.amount);
                op.order_name = b.extras.name.clone();
                op.buyer_name = b.extras.buyer.buyer_name.clone();
                op.channel_key = b.channel_key.clone();
                op.notice_url = b.extras.notice_url.clone();
                op.custom_data = b.extras.custom_data.clone();
            }
            Some(Body::SchedulePayments(b)) => {
                op.customer_uid = Some(b.customer_uid.clone());
                op.merchant_uids = b.schedules.iter().map(|s| s.merchant_uid.clone()).collect();
                op.schedules = b
                    .schedules
                    .iter()
                    .map(|s| ScheduledCharge {
                        merchant_uid: s.merchant_uid.clone(),
                        amount: s.amount,
                        schedule_at: s.schedule_at,
                    })
                    .collect();
                // Checked: a wrapped sum must never pass as a small one.
                op.amount = b
                    .schedules
                    .iter()
                    .try_fold(0u64, |sum, s| sum.checked_add(s.amount));
                op.checking_amount = b.checking_amount;
                op.pg = b.pg.clone();
                op.notice_url = b.schedules.iter().find_map(|s| s.extras.notice_url.clone());
                op.custom_data = b
                    .schedules
                    .iter()
                    .find_map(|s| s.extras.custom_data.clone());
            }
            Some(Body::Unschedule(b)) => {
                op.customer_uid = b.customer_uid.clone();
                op.merchant_uids = b.merchant_uid.clone().unwrap_or_default();
            }
            Some(Body::CancelPayment(b)) => {
                op.merchant_uid = b.merchant_uid.clone();
                op.imp_uid = b.imp_uid.clone();
                op.amount = b.amount;
            }
            Some(Body::BillingKey(b)) => {
                op.customer_uid = params.first().cloned();
                op.buyer_name = b.customer_name.clone();
                op.pg = b.pg.clone();
                op.channel_key = b.channel_key.clone();
            }
            None => match name {
                OpName::GetBillingKeys => {
                    op.customer_uids = request.query.0.iter().map(|(_, v)| v.clone()).collect()
                }
                OpName::GetSchedule | OpName::FindPayment => {
                    op.merchant_uid = params.first().cloned()
                }
                OpName::GetPayment => op.imp_uid = params.first().cloned(),
                _ => op.customer_uid = params.first().cloned(),
            },
        }
        for (one, all) in [
            (&op.merchant_uid, &mut op.merchant_uids),
            (&op.customer_uid, &mut op.customer_uids),
        ] {
            if let Some(u) = one.as_ref().filter(|u| !all.contains(u)) {
                all.insert(0, u.clone());
            }
        }
        op
    }
}

/// A request that passed every check: what to send upstream, and what hooks see.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The exact upstream request, rebuilt by the builders (never the raw body).
    pub request: Request,
    /// The operation for the hooks.
    pub operation: OperationInfo,
}

/// Re-validates a routed request with the operation's builder, puts the
/// server-owned fields on it, and derives the hook view from the result (so the
/// hooks see what goes upstream). `body` is the parsed JSON body for POSTs;
/// `query` the raw query string (without `?`).
///
/// # Errors
/// `INVALID_INPUT` (400) with the field errors (at most 20);
/// `SERVER_OWNED_FIELD` (400).
pub fn prepare(
    route: &Route,
    body: Option<&Value>,
    query: &str,
    opts: &BuildOptions,
    server_fields: &ServerFields,
) -> Result<Prepared, ProxyError> {
    let args = args_from_http(route.op, &route.params, query, body);
    let mut request = route
        .op
        .build(&args, opts)
        .map_err(ProxyError::invalid_input)?;
    apply_server_fields(&mut request, server_fields)?;
    let operation = OperationInfo::of(route.op, &route.params, &request);
    Ok(Prepared { request, operation })
}

/// Sets `browser_ip` from a source the merchant trusts (the runtime's client-IP
/// header, or the `clientIp` hook), or removes it: a browser-sent value is never
/// forwarded as it is.
pub fn set_browser_ip(request: &mut Request, ip: Option<&str>) {
    let ip = ip.filter(|ip| api::read::is_ip(ip)).map(str::to_owned);
    match &mut request.body {
        Some(Body::OnetimePayment(b)) => b.direct.browser_ip = ip,
        Some(Body::AgainPayment(b)) => b.direct.browser_ip = ip,
        _ => {}
    }
}
