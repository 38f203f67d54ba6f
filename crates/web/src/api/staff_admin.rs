//! Staff administration for admins (`/api/v1/admin/staff...`), over the same `Roles`
//! code as `secure-access staff`: the list of staff, and granting and revoking roles
//! (a second factor within 15 minutes, never on one's own account, never the last
//! admin). Each grant and removal is in the audit log with the admin who made it. And
//! helping a person (`/api/v1/admin/accounts/{id}/...`): lift a sign-in lock, end every
//! session; each with a reason, audited (`AccountHelp`).

use axum::Json;
use axum::extract::{Path, State};
use sa_domain::clock::rfc3339;
use sa_domain::journeys::RoleAdmin;
use sa_domain::staff::StaffMember;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiAuth, ApiJson};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct RoleRequest {
    pub username: String,
    /// `help_desk`, `assistance_center` or `admin`.
    pub role: String,
    /// Why, kept in the audit log: one line, at most 200 characters, no personal data.
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RoleBody {
    pub role: String,
    pub granted_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct StaffMemberBody {
    pub account_id: String,
    pub username: String,
    pub roles: Vec<RoleBody>,
    /// The last successful sign-in, if any.
    pub last_sign_in: Option<String>,
    /// The second factor of that sign-in: `passkey`, `passwordless_passkey`, `totp`, ...
    pub last_method: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StaffBody {
    pub staff: Vec<StaffMemberBody>,
}

fn staff_body(members: Vec<StaffMember>) -> StaffBody {
    StaffBody {
        staff: members
            .into_iter()
            .map(|m| StaffMemberBody {
                account_id: m.account_id,
                username: m.username,
                roles: m
                    .roles
                    .into_iter()
                    .map(|(role, at)| RoleBody {
                        role,
                        granted_at: rfc3339(at),
                    })
                    .collect(),
                last_sign_in: m.last_sign_in.map(rfc3339),
                last_method: m.last_method,
            })
            .collect(),
    }
}

/// Everyone holding a staff role, with their roles and last sign-in.
#[utoipa::path(get, path = "/api/v1/admin/staff", tag = "admin",
    security(("session_token" = [])),
    responses((status = 200, body = StaffBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<StaffBody>> {
    let members = app
        .services
        .roles()
        .staff_members(RoleAdmin::Admin(&auth))
        .await?;
    Ok(Json(staff_body(members)))
}

/// Give a role; answers the staff list after it.
#[utoipa::path(post, path = "/api/v1/admin/staff/roles", tag = "admin",
    request_body = RoleRequest, security(("session_token" = [])),
    responses((status = 200, body = StaffBody),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn grant(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<RoleRequest>,
) -> ApiResult<Json<StaffBody>> {
    let roles = app.services.roles();
    let by = RoleAdmin::Admin(&auth);
    roles
        .grant_staff_role(by, &body.username, &body.role, body.reason.as_deref())
        .await?;
    Ok(Json(staff_body(roles.staff_members(by).await?)))
}

/// Take a role away (never the last admin); answers the staff list after it.
#[utoipa::path(post, path = "/api/v1/admin/staff/roles/revoke", tag = "admin",
    request_body = RoleRequest, security(("session_token" = [])),
    responses((status = 200, body = StaffBody),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn revoke(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<RoleRequest>,
) -> ApiResult<Json<StaffBody>> {
    let roles = app.services.roles();
    let by = RoleAdmin::Admin(&auth);
    roles
        .revoke_staff_role(by, &body.username, &body.role, body.reason.as_deref())
        .await?;
    Ok(Json(staff_body(roles.staff_members(by).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct ReasonRequest {
    /// Why, kept in the audit log: one line, at most 200 characters, no personal data.
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct HelpBody {
    /// `unlocked`, `not_locked`, `sessions_ended`, `disabled` or `enabled`.
    pub result: &'static str,
}

/// Lift the lock that wrong second-factor codes put on the account's sign-in.
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/unlock", tag = "admin",
    params(("id" = String, Path, description = "the account id")),
    request_body = ReasonRequest, security(("session_token" = [])),
    responses((status = 200, body = HelpBody),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unlock(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReasonRequest>,
) -> ApiResult<Json<HelpBody>> {
    let unlocked = app
        .services
        .account_help()
        .unlock(RoleAdmin::Admin(&auth), &id, body.reason.as_deref())
        .await?;
    Ok(Json(HelpBody {
        result: if unlocked { "unlocked" } else { "not_locked" },
    }))
}

/// End every session of the account.
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/end-sessions", tag = "admin",
    params(("id" = String, Path, description = "the account id")),
    request_body = ReasonRequest, security(("session_token" = [])),
    responses((status = 200, body = HelpBody),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn end_sessions(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReasonRequest>,
) -> ApiResult<Json<HelpBody>> {
    app.services
        .account_help()
        .end_sessions(RoleAdmin::Admin(&auth), &id, body.reason.as_deref())
        .await?;
    Ok(Json(HelpBody {
        result: "sessions_ended",
    }))
}

/// Turn the account off: its sessions end and nobody signs in until it is turned on.
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/disable", tag = "admin",
    params(("id" = String, Path, description = "the account id")),
    request_body = ReasonRequest, security(("session_token" = [])),
    responses((status = 200, body = HelpBody),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "already turned off", body = ErrorBody)))]
pub async fn disable(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReasonRequest>,
) -> ApiResult<Json<HelpBody>> {
    app.services
        .account_help()
        .disable(RoleAdmin::Admin(&auth), &id, body.reason.as_deref())
        .await?;
    Ok(Json(HelpBody { result: "disabled" }))
}

/// Turn a turned-off account on again.
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/enable", tag = "admin",
    params(("id" = String, Path, description = "the account id")),
    request_body = ReasonRequest, security(("session_token" = [])),
    responses((status = 200, body = HelpBody),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "not turned off", body = ErrorBody)))]
pub async fn enable(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReasonRequest>,
) -> ApiResult<Json<HelpBody>> {
    app.services
        .account_help()
        .enable(RoleAdmin::Admin(&auth), &id, body.reason.as_deref())
        .await?;
    Ok(Json(HelpBody { result: "enabled" }))
}
