-- Events waiting for the relay; written in the same transaction as the state change they describe.
create table outbox_message (
    id          bigint generated always as identity primary key,
    topic       varchar(200) not null,
    message_key varchar(200) not null,
    payload     text         not null,
    created_at  timestamptz  not null default now(),
    sent_at     timestamptz
);
create index outbox_message_unsent on outbox_message (id) where sent_at is null;

-- Ids of consumed messages, recorded with their effect: a redelivered message finds its id and is skipped.
create table processed_message (
    message_id   uuid        primary key,
    topic        varchar(200) not null,
    processed_at timestamptz not null default now()
);
