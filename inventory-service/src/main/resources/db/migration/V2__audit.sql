-- Who changed what and when; written in the same transaction as the change it describes.
create table audit_entry (
    id      bigserial primary key,
    at      timestamptz  not null,
    subject varchar(255) not null,
    action  varchar(64)  not null,
    target  varchar(512) not null
);
create index audit_entry_newest on audit_entry (at desc, id desc);
