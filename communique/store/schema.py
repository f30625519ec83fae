"""The database schema and its migrations. Version N is reached by applying migrations 1..N in order."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE articles (
        article_id VARCHAR PRIMARY KEY,
        content_hash VARCHAR NOT NULL UNIQUE,
        title VARCHAR,
        published VARCHAR,
        published_source VARCHAR,
        outlet VARCHAR,
        url VARCHAR,
        source_path VARCHAR,
        text VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL DEFAULT current_timestamp
    );
    CREATE TABLE events (
        event_id VARCHAR PRIMARY KEY,
        article_id VARCHAR NOT NULL,
        event_type VARCHAR NOT NULL,
        mode VARCHAR,
        cameo VARCHAR,
        quad VARCHAR NOT NULL,
        intensity DOUBLE NOT NULL,
        date VARCHAR,
        date_text VARCHAR,
        status VARCHAR NOT NULL,
        confidence DOUBLE NOT NULL,
        evidence_text VARCHAR NOT NULL,
        evidence_start INTEGER NOT NULL,
        evidence_end INTEGER NOT NULL,
        location_name VARCHAR,
        location_country VARCHAR,
        lat DOUBLE,
        lon DOUBLE,
        record JSON NOT NULL
    );
    CREATE INDEX events_article ON events(article_id);
    CREATE INDEX events_date ON events(date);
    CREATE TABLE event_actors (
        event_id VARCHAR NOT NULL,
        side VARCHAR NOT NULL,
        position INTEGER NOT NULL,
        text VARCHAR,
        name VARCHAR,
        kind VARCHAR,
        country VARCHAR,
        sector VARCHAR,
        role VARCHAR,
        entity_id VARCHAR
    );
    CREATE INDEX event_actors_event ON event_actors(event_id);
    CREATE INDEX event_actors_country ON event_actors(country);
    CREATE TABLE mentions (
        article_id VARCHAR NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        name VARCHAR,
        kind VARCHAR,
        country VARCHAR,
        sector VARCHAR,
        role VARCHAR,
        entity_id VARCHAR
    );
    CREATE INDEX mentions_entity ON mentions(entity_id);
    CREATE VIEW entities AS
        SELECT entity_id, any_value(kind) AS kind, mode(name) AS name, mode(country) AS country,
               mode(sector) AS sector, count(*) AS mentions, count(DISTINCT article_id) AS articles
        FROM mentions WHERE entity_id IS NOT NULL GROUP BY entity_id;
    """,
    # 2: where each article's title and outlet came from, and its author
    """
    ALTER TABLE articles ADD COLUMN title_source VARCHAR;
    ALTER TABLE articles ADD COLUMN outlet_source VARCHAR;
    ALTER TABLE articles ADD COLUMN author VARCHAR;
    """,
    # 3: fusion across outlets: evidence vectors, the states and dates each event is about, fused events
    """
    CREATE TABLE event_vectors (event_id VARCHAR PRIMARY KEY, vector FLOAT[384] NOT NULL);
    CREATE TABLE event_keys (event_id VARCHAR NOT NULL, key VARCHAR NOT NULL, lo DATE, hi DATE);
    CREATE INDEX event_keys_key ON event_keys(key);
    CREATE INDEX event_keys_event ON event_keys(event_id);
    CREATE TABLE fused_events (
        fused_id VARCHAR NOT NULL,
        event_type VARCHAR NOT NULL,
        mode VARCHAR,
        quad VARCHAR NOT NULL,
        intensity DOUBLE NOT NULL,
        date VARCHAR,
        status VARCHAR NOT NULL,
        location_name VARCHAR,
        location_country VARCHAR,
        actors VARCHAR[] NOT NULL,
        recipients VARCHAR[] NOT NULL,
        confidence DOUBLE NOT NULL,
        num_sources INTEGER NOT NULL,
        num_articles INTEGER NOT NULL,
        num_reports INTEGER NOT NULL,
        evidence_text VARCHAR NOT NULL,
        first_published VARCHAR
    );
    CREATE INDEX fused_events_id ON fused_events(fused_id);
    CREATE INDEX fused_events_date ON fused_events(date);
    CREATE TABLE fused_members (event_id VARCHAR NOT NULL, fused_id VARCHAR NOT NULL);
    CREATE INDEX fused_members_event ON fused_members(event_id);
    CREATE INDEX fused_members_fused ON fused_members(fused_id);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
