CREATE TABLE "customer_merges" (
	"customer_id" uuid PRIMARY KEY NOT NULL,
	"into_customer_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"merged_by_id" uuid,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "integration_messages" (
	"source" text NOT NULL,
	"message_id" text NOT NULL,
	"conversation_key" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"ticket_id" uuid,
	"comment_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integration_messages_source_message_id_pk" PRIMARY KEY("source","message_id")
);
--> statement-breakpoint
ALTER TABLE "customer_merges" ADD CONSTRAINT "customer_merges_into_customer_id_customers_id_fk" FOREIGN KEY ("into_customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_messages" ADD CONSTRAINT "integration_messages_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_messages" ADD CONSTRAINT "integration_messages_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_merges_into_idx" ON "customer_merges" USING btree ("into_customer_id");--> statement-breakpoint
CREATE INDEX "integration_messages_conversation_idx" ON "integration_messages" USING btree ("source","conversation_key","created_at");--> statement-breakpoint
CREATE INDEX "integration_messages_customer_idx" ON "integration_messages" USING btree ("customer_id");