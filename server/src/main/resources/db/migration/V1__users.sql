-- Version 1: the registered users and the deployment's identity.
-- Plain SQL that SQLite and PostgreSQL both run; times are epoch milliseconds.

CREATE TABLE users (
  name_key     VARCHAR(32) PRIMARY KEY,  -- the name in lower case: names are unique regardless of case
  name         VARCHAR(32) NOT NULL,     -- the spelling of the first registration
  public_key   VARCHAR(64) NOT NULL,     -- raw Ed25519 public key, unpadded base64url
  created_at   BIGINT      NOT NULL,
  last_seen_at BIGINT      NOT NULL
);

CREATE TABLE parley_meta (
  meta_key   VARCHAR(64)  PRIMARY KEY,
  meta_value VARCHAR(256) NOT NULL
);
