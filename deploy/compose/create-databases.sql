-- One database per service that owns relational data (ARCHITECTURE.md: one writer per table).
CREATE DATABASE episodes;
