-- The W3C trace context (traceparent) of the request or consumed record that caused each event, null while tracing
-- is off: the relay sends it as the record's traceparent header. Repeatable and idempotent rather than versioned, so
-- it applies to an outbox that any earlier version created, whatever the service's own migrations are numbered.
alter table outbox_message add column if not exists trace_parent varchar(128);
