//! Integration tests: the real server on a free port, spoken to over HTTP, on SQLite
//! and (with `SA_TEST_POSTGRES_URL`) PostgreSQL. One binary, one module per area.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

mod common;

mod account_details;
mod active_sessions;
mod admin_api;
mod admin_dashboard;
mod api_journey;
mod app_events;
mod attacks_codes;
mod attacks_credentials;
mod attacks_enumeration;
mod attacks_web;
mod audit_log;
mod bad_input;
mod caller_accounts;
mod factor_changes;
mod language;
mod legacy_import;
mod limits;
mod live_sources;
mod logs;
mod metrics;
mod my_data;
mod oidc_flow;
mod oidc_lifecycle;
mod oidc_passkeys;
mod page_journey;
mod passkeys;
mod password_strength;
mod platform;
mod proofing_api;
mod proofing_limits;
mod proofing_pages;
mod proofing_velocity;
mod recovery;
mod recovery_pages;
mod recovery_verified;
mod rejected_codes;
mod saml_metadata;
mod saml_sso;
mod sessions;
mod staff_admin;
mod staff_console;
mod staff_pages;
mod typed_identity;
