//! Request and answer bodies that several endpoints share.

use sa_domain::model::Next;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct CodeRequest {
    pub code: String,
}

#[derive(Serialize, ToSchema)]
pub struct NextResponse {
    pub next: String,
}

/// The step name as the API spells it.
pub fn next_str(next: Next) -> String {
    next.as_str().to_owned()
}
