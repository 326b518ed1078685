-- The part's result as one JSON document, exactly the fields the PLC's verdict message and the remote HMI carry
-- (ResultJson.summary): a field added to the result is stored with it, without a migration of its own. Null for
-- rows written before this version.
ALTER TABLE verdicts ADD COLUMN document TEXT;
