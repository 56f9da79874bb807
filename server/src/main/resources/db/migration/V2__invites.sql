-- Version 2: invite codes, each letting one new name be registered under --registration invite.
-- Only a hash of each code is kept: whoever reads the database (or a backup) cannot use the codes.

CREATE TABLE invites (
  code_hash  VARCHAR(64) PRIMARY KEY,  -- SHA-256 of the code's canonical form, lower-case hex
  created_at BIGINT      NOT NULL,
  expires_at BIGINT      NOT NULL,     -- usable before this time only
  used_at    BIGINT,                   -- when it registered a name; null while unused
  used_by    VARCHAR(32)               -- the name_key of the user it registered
);
