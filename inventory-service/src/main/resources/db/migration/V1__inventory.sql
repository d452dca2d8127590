-- Inventory system of record. Stock is an append-only ledger of movements; stock_balance
-- is kept in step with it in the same transaction and can never go below zero.

create table chip_model (
    id              varchar(64)  primary key,
    vendor          varchar(128) not null,
    name            varchar(256) not null,
    h100_equivalent double precision not null check (h100_equivalent > 0),
    created_at      timestamptz  not null default now()
);

create table site (
    id         varchar(64)  primary key,
    name       varchar(256) not null,
    kind       varchar(16)  not null check (kind in ('DATACENTER', 'WAREHOUSE')),
    created_at timestamptz  not null default now()
);

create table stock_movement (
    id         bigserial    primary key,
    site_id    varchar(64)  not null references site (id),
    chip_id    varchar(64)  not null references chip_model (id),
    quantity   integer      not null check (quantity > 0),
    from_state varchar(16)  check (from_state in ('IN_SERVICE', 'WAREHOUSE', 'FAILED', 'RETIRED')),
    to_state   varchar(16)  check (to_state in ('IN_SERVICE', 'WAREHOUSE', 'FAILED', 'RETIRED')),
    note       varchar(1000),
    receipt_id bigint,
    created_at timestamptz  not null default now(),
    constraint stock_movement_has_side check (from_state is not null or to_state is not null),
    constraint stock_movement_moves check (from_state is distinct from to_state)
);
create index stock_movement_chip_site on stock_movement (chip_id, site_id, id);

-- The ledger is append-only: corrections are new movements, never edits.
create function stock_movement_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'stock_movement is append-only';
end;
$$;
create trigger stock_movement_no_change before update or delete on stock_movement
    for each row execute function stock_movement_append_only();

create table stock_balance (
    site_id  varchar(64) not null references site (id),
    chip_id  varchar(64) not null references chip_model (id),
    state    varchar(16) not null check (state in ('IN_SERVICE', 'WAREHOUSE', 'FAILED', 'RETIRED')),
    quantity integer     not null constraint stock_balance_not_negative check (quantity >= 0),
    primary key (site_id, chip_id, state)
);
create index stock_balance_chip on stock_balance (chip_id, state);

create table purchase_order (
    id         bigserial    primary key,
    supplier   varchar(256) not null,
    reference  varchar(128) not null unique,
    created_at timestamptz  not null default now()
);

create table purchase_order_line (
    id         bigserial     primary key,
    order_id   bigint        not null references purchase_order (id),
    chip_id    varchar(64)   not null references chip_model (id),
    quantity   integer       not null check (quantity > 0),
    unit_price numeric(16, 2) check (unit_price >= 0),
    currency   varchar(3)
);
create index purchase_order_line_order on purchase_order_line (order_id);

create table delivery (
    id             bigserial    primary key,
    order_id       bigint       not null references purchase_order (id),
    chip_id        varchar(64)  not null references chip_model (id),
    site_id        varchar(64)  not null references site (id),
    quantity       integer      not null check (quantity > 0),
    received       integer      not null default 0,
    scheduled_date date         not null,
    state          varchar(16)  not null check (state in ('SCHEDULED', 'SHIPPED', 'DELAYED', 'RECEIVED', 'CANCELLED')),
    note           varchar(1000),
    updated_at     timestamptz  not null default now(),
    constraint delivery_received_within check (received >= 0 and received <= quantity)
);
create index delivery_chip_open on delivery (chip_id, scheduled_date) where state not in ('RECEIVED', 'CANCELLED');
create index delivery_order on delivery (order_id);

create table delivery_change (
    id          bigserial    primary key,
    delivery_id bigint       not null references delivery (id),
    changed_at  timestamptz  not null default now(),
    from_date   date,
    to_date     date,
    from_state  varchar(16),
    to_state    varchar(16),
    note        varchar(1000)
);
create index delivery_change_delivery on delivery_change (delivery_id, id);

create table receipt (
    id              bigserial    primary key,
    delivery_id     bigint       not null references delivery (id),
    idempotency_key varchar(255) unique,
    quantity        integer      not null check (quantity > 0),
    site_id         varchar(64)  not null references site (id),
    received_at     timestamptz  not null default now()
);

create table quota (
    id         bigserial   primary key,
    team       varchar(64) not null,
    chip_id    varchar(64) not null references chip_model (id),
    quantity   integer     not null check (quantity >= 0),
    valid_from date,
    valid_to   date,
    created_at timestamptz not null default now(),
    constraint quota_period check (valid_from is null or valid_to is null or valid_to > valid_from)
);
create index quota_chip_team on quota (chip_id, team);

create table reservation (
    id         bigserial    primary key,
    team       varchar(64)  not null,
    chip_id    varchar(64)  not null references chip_model (id),
    quantity   integer      not null check (quantity > 0),
    starts     date         not null,
    ends       date         not null,
    job_id     varchar(128),
    created_at timestamptz  not null default now(),
    constraint reservation_period check (ends > starts)
);
create index reservation_chip_period on reservation (chip_id, starts, ends);
