-- The treatment lines treatment-service has recorded, as far as the cross-record rules here need them: a death
-- may not precede a line, and an episode may not be withdrawn or moved past the lines that treat it.
create table treatment_line (
    id                 uuid         primary key,
    site               varchar(32)  not null,
    record_id          varchar(64)  not null,
    patient_pseudonym  varchar(64)  not null,
    episode_record_id  varchar(64)  not null,
    start_date         date         not null,
    end_date           date,
    updated_at         timestamptz  not null
);
create index treatment_line_by_patient on treatment_line (patient_pseudonym, start_date);
