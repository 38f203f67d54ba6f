-- SAML 2.0 service providers are registered apps: `client_id` is the entity id and
-- `redirect_uris` the HTTP-POST AssertionConsumerService URLs. This holds the rest of
-- what their metadata said (consumers with index and default, signing certificates,
-- AuthnRequestsSigned, WantAssertionsSigned) as JSON; NULL for OpenID Connect apps.
ALTER TABLE oidc_clients ADD COLUMN saml_sp TEXT;

-- A signing key can be published before it signs: `keys rotate-signing` puts the next
-- keys in the JWKS and the SAML metadata at once and starts signing with them at
-- `activates_at` (NULL: at once), when the keys they replace retire. Service
-- providers that cache metadata learn the next certificate before it is used.
ALTER TABLE signing_keys ADD COLUMN activates_at BIGINT;
