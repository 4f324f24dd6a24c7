CREATE TABLE "skill_group_picks" (
	"ticket_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "skill_group_picks_user_at_idx" ON "skill_group_picks" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "skill_group_picks_at_idx" ON "skill_group_picks" USING btree ("at");