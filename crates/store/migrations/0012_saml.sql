-- SAML 2.0 service providers are registered apps: `client_id` is the entity id and
-- `redirect_uris` the HTTP-POST AssertionConsumerService URLs. This holds the rest of
-- what their metadata said (consumers with index and default, signing certificates,
-- AuthnRequestsSigned, WantAssertionsSigned) as JSON; NULL for OpenID Connect apps.
ALTER TABLE oidc_clients ADD COLUMN saml_sp TEXT;
