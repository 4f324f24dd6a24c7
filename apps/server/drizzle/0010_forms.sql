CREATE TABLE "form_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"category_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"fields" jsonb NOT NULL,
	"note" text,
	"published_by_id" uuid,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "name_en" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "form_version_id" uuid;--> statement-breakpoint
ALTER TABLE "form_versions" ADD CONSTRAINT "form_versions_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "form_versions_category_version_uq" ON "form_versions" USING btree ("category_id","version");--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_form_version_id_form_versions_id_fk" FOREIGN KEY ("form_version_id") REFERENCES "public"."form_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tickets_custom_fields_gin" ON "tickets" USING gin ("custom_fields" jsonb_path_ops);--> statement-breakpoint
-- hand-written (keep when regenerating)
-- Version 1 of every category's form, from its custom_fields JSON (a select's option strings
-- become option codes and labels, so stored values stay valid); then every ticket points at it.
INSERT INTO "form_versions" ("id", "category_id", "version", "fields", "note", "published_at")
SELECT gen_random_uuid(), c."id", 1,
  coalesce((
    SELECT jsonb_agg(
      CASE WHEN f->>'type' = 'select' THEN
        (f - 'options') || jsonb_build_object('options', coalesce((
          SELECT jsonb_agg(jsonb_build_object('code', o, 'label', o) ORDER BY n)
          FROM jsonb_array_elements_text(coalesce(f->'options', '[]'::jsonb)) WITH ORDINALITY AS x(o, n)), '[]'::jsonb))
      ELSE f - 'options' END ORDER BY ord)
    FROM jsonb_array_elements(c."custom_fields") WITH ORDINALITY AS e(f, ord)), '[]'::jsonb),
  'migrated from the category''s custom fields', now()
FROM "categories" c;
--> statement-breakpoint
UPDATE "tickets" t SET "form_version_id" = v."id"
FROM "form_versions" v WHERE v."category_id" = t."category_id" AND v."version" = 1;
