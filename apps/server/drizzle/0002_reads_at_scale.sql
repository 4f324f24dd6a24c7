CREATE TABLE "ticket_count_deltas" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"priority" text NOT NULL,
	"channel" text NOT NULL,
	"category_id" uuid NOT NULL,
	"department_id" uuid,
	"owner_id" uuid,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_count_summary" (
	"status" text NOT NULL,
	"priority" text NOT NULL,
	"channel" text NOT NULL,
	"category_id" uuid NOT NULL,
	"department_id" uuid,
	"owner_id" uuid,
	"n" integer NOT NULL,
	CONSTRAINT "ticket_count_summary_dims_uq" UNIQUE NULLS NOT DISTINCT("status","priority","channel","category_id","department_id","owner_id")
);
--> statement-breakpoint
-- The stored vector replaces the expression index (see tickets.search_vector in schema.ts).
DROP INDEX "tickets_search_gin";--> statement-breakpoint
-- Single Han characters are index tokens too (one-character search); the app's tokenizer writes
-- them into search_text from now on, tickets written before get theirs here, once.
UPDATE "tickets" SET "search_text" = "search_text" || coalesce(' ' || (
  SELECT string_agg(DISTINCT c, ' ') FROM regexp_split_to_table("search_text", '') AS c WHERE c ~ '[㐀-䶿一-鿿]'), '');--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (strip(to_tsvector('simple'::regconfig, search_text))) STORED,
  -- Kept in the row (compressed), not in TOAST: search phase 1 tests the vector of thousands of
  -- rows, and an out-of-line value costs ~4 extra buffer reads each (4,000 rows: 27-37 ms vs 5-10 ms).
  -- Set in the same ALTER so the rewrite that fills the column already stores it this way.
  ALTER COLUMN "search_vector" SET STORAGE MAIN;--> statement-breakpoint
CREATE INDEX "audit_events_at_idx" ON "audit_events" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "tickets_search_vector_gin" ON "tickets" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "tickets_priority_created_idx" ON "tickets" USING btree ("priority_rank","created_at","id");--> statement-breakpoint
CREATE INDEX "tickets_number_prefix_idx" ON "tickets" USING btree ("number" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "tickets_created_by_idx" ON "tickets" USING btree ("created_by_id");--> statement-breakpoint
CREATE INDEX "tickets_measure_owners_gin" ON "tickets" USING gin (jsonb_path_query_array("plan", '$.measures[*].ownerId') jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "tickets_open_expected_idx" ON "tickets" USING btree ("expected_by","status","department_id","owner_id","priority","channel","category_id") WHERE status not in ('closed', 'cancelled');--> statement-breakpoint
-- Count aggregates (tickets/count-tickets.ts). Writers only ever INSERT delta rows, so two
-- transactions changing tickets never wait for each other here; compaction
-- (tickets/compact-ticket-counts.ts) folds the deltas into ticket_count_summary.
-- Inserts and deletes are captured per statement (a bulk insert adds one row per dimension tuple).
CREATE FUNCTION ticket_counts_capture_rows() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO ticket_count_deltas (status, priority, channel, category_id, department_id, owner_id, n)
      SELECT status, priority, channel, category_id, department_id, owner_id, count(*)::int
      FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO ticket_count_deltas (status, priority, channel, category_id, department_id, owner_id, n)
      SELECT status, priority, channel, category_id, department_id, owner_id, -count(*)::int
      FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6;
  ELSIF TG_OP = 'TRUNCATE' THEN
    DELETE FROM ticket_count_deltas;
    DELETE FROM ticket_count_summary;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Updates per row, and only when a counted dimension changed (the WHEN clause costs no call).
CREATE FUNCTION ticket_counts_capture_update() RETURNS trigger AS $$
BEGIN
  INSERT INTO ticket_count_deltas (status, priority, channel, category_id, department_id, owner_id, n) VALUES
    (OLD.status, OLD.priority, OLD.channel, OLD.category_id, OLD.department_id, OLD.owner_id, -1),
    (NEW.status, NEW.priority, NEW.channel, NEW.category_id, NEW.department_id, NEW.owner_id, 1);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER tickets_counts_insert AFTER INSERT ON tickets
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_counts_capture_rows();
--> statement-breakpoint
CREATE TRIGGER tickets_counts_delete AFTER DELETE ON tickets
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_counts_capture_rows();
--> statement-breakpoint
CREATE TRIGGER tickets_counts_truncate AFTER TRUNCATE ON tickets
  FOR EACH STATEMENT EXECUTE FUNCTION ticket_counts_capture_rows();
--> statement-breakpoint
CREATE TRIGGER tickets_counts_update
  AFTER UPDATE OF status, priority, channel, category_id, department_id, owner_id ON tickets
  FOR EACH ROW WHEN (
    OLD.status IS DISTINCT FROM NEW.status OR OLD.priority IS DISTINCT FROM NEW.priority
    OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.category_id IS DISTINCT FROM NEW.category_id
    OR OLD.department_id IS DISTINCT FROM NEW.department_id OR OLD.owner_id IS DISTINCT FROM NEW.owner_id
  ) EXECUTE FUNCTION ticket_counts_capture_update();
--> statement-breakpoint
-- Tickets written before this migration: one scan now, never again.
INSERT INTO ticket_count_summary (status, priority, channel, category_id, department_id, owner_id, n)
  SELECT status, priority, channel, category_id, department_id, owner_id, count(*)::int
  FROM tickets GROUP BY 1, 2, 3, 4, 5, 6;
