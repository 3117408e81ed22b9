using WebhookStudio.Features.Sources.Pipeline;

namespace WebhookStudio.Features.Sources.Catalog;

public static partial class AppCatalog
{
    private const BodyKind Json = BodyKind.Json;
    private const BodyKind Form = BodyKind.Form;

    // Every entry, sorted by name. A profile's handshake and secret are written for a business user; the sample is
    // the payload shape the app documents, with made-up people, ids and addresses.
    private static CatalogApp[] Entries() =>
    [
        new("airtable", "Airtable", "Databases", "https://airtable.com/developers/web/api/webhooks-overview", Json, "#18BFFF", "airtable-notification.json", new(
            ["Webhook notification (the changes themselves are read with “List webhook payloads”)"],
            "No screen: create the webhook with POST /v0/bases/{baseId}/webhooks and the URL as notificationUrl.",
            null,
            new("airtable", "MAC secret (macSecretBase64)", "Returned once by the API when the webhook is created", "https://airtable.com/developers/web/api/webhooks-overview#webhook-notification-delivery"),
            [new("notification", "$", "webhook.id", "base.id")])),
        new("asana", "Asana", "Project management", "https://developers.asana.com/docs/webhooks-guide", Json, "#F06A6A", "asana-task-changed.json", new(
            ["task changed", "task added", "task removed", "story added"],
            "No screen: create the webhook with POST /api/1.0/webhooks, the URL as target and the project or task as resource.",
            "Asana first sends a request with an X-Hook-Secret header and expects the same header back in the answer.",
            new("asana", "X-Hook-Secret", "Sent by Asana in that first request when the webhook is created", "https://developers.asana.com/docs/webhooks-guide#security"),
            [new("task events", "$.events[*]", "resource.gid", "resource.name")])),
        new("bigcommerce", "BigCommerce", "E-commerce", "https://developer.bigcommerce.com/docs/integrations/webhooks", Json, "#121118", "bigcommerce-order-created.json", new(
            ["store/order/created", "store/order/updated", "store/product/updated", "store/customer/created"],
            "No screen: create the webhook with POST /stores/{store_hash}/v3/hooks and the URL as destination, one scope per webhook.",
            null,
            null,
            [new("store/order/created", "$.data", "id", "type")])),
        new("bitbucket", "Bitbucket", "Developer tools", "https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/", Json, "#2684FF", "bitbucket-repo-push.json", new(
            ["repo:push", "pullrequest:created", "pullrequest:fulfilled", "issue:created"],
            "Repository → Repository settings → Webhooks → Add webhook → URL, then choose the triggers.",
            null,
            new("bitbucket", "Secret", "Repository settings → Webhooks → edit the webhook → Secret", "https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/#Secure-webhooks"),
            [new("repo:push", "$.push.changes[*].commits[*]", "hash", "message")])),
        new("calendly", "Calendly", "Scheduling", "https://developer.calendly.com/receive-data-from-scheduled-events-in-real-time-with-webhook-subscriptions", Json, "#006BFF", "calendly-invitee-created.json", new(
            ["invitee.created", "invitee.canceled", "routing_form_submission.created"],
            "No screen: create the subscription with POST /webhook_subscriptions and the URL as url, with its events and scope.",
            null,
            new("calendly", "Signing key", "Chosen by you as signing_key when the webhook subscription is created through the API", "https://developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures"),
            [new("invitee.created", "$.payload", "uri", "name")])),
        new("chargebee", "Chargebee", "Payments", "https://www.chargebee.com/docs/2.0/webhook_settings.html", Json, "#FF7846", "chargebee-subscription-created.json", new(
            ["subscription_created", "subscription_renewed", "payment_succeeded", "customer_created"],
            "Settings → Configure Chargebee → API Keys and Webhooks → Webhooks → Add Webhook → Webhook URL.",
            null,
            null,
            [new("subscription_created (the customer)", "$.content.customer", "id", "email")])),
        new("clerk", "Clerk", "Identity", "https://clerk.com/docs/webhooks/overview", Json, "#6C47FF", "clerk-user-created.json", new(
            ["user.created", "user.updated", "user.deleted", "session.created", "organization.created"],
            "Clerk Dashboard → Webhooks → Add Endpoint → Endpoint URL, then subscribe to the events.",
            null,
            new("clerk", "Signing secret (whsec_…)", "Clerk Dashboard → Webhooks → the endpoint → Signing Secret", "https://clerk.com/docs/webhooks/sync-data"),
            [new("user.created", "$.data", "id", "email_addresses[0].email_address")])),
        new("clickup", "ClickUp", "Project management", "https://developer.clickup.com/docs/webhooks", Json, "#7B68EE", "clickup-task-status-updated.json", new(
            ["taskCreated", "taskUpdated", "taskStatusUpdated", "taskCommentPosted"],
            "No screen: create the webhook with POST /api/v2/team/{team_id}/webhook and the URL as endpoint.",
            null,
            new("clickup", "Webhook secret", "Returned by the API when the webhook is created", "https://developer.clickup.com/docs/webhooksignature"),
            [new("task events", "$", "task_id", "event")])),
        new("discord", "Discord", "Messaging", "https://discord.com/developers/docs/events/webhook-events", Json, "#5865F2", "discord-application-authorized.json", new(
            ["APPLICATION_AUTHORIZED", "ENTITLEMENT_CREATE", "QUEST_USER_ENROLLMENT"],
            "Developer Portal → your application → Webhooks → Endpoint URL, then turn on Events and pick the event types.",
            "Discord sends a PING (type 0) when the URL is saved and expects an empty 204 answer.",
            new("discord", "Public key", "Developer Portal → your application → General Information → Public Key", "https://discord.com/developers/docs/events/webhook-events#setting-up-an-endpoint-validating-security-request-headers"),
            [new("APPLICATION_AUTHORIZED", "$.event.data.user", "id", "username")])),
        new("docusign", "Docusign", "Documents", "https://developers.docusign.com/platform/webhooks/connect/", Json, "#4C00FF", "docusign-envelope-completed.json", new(
            ["envelope-sent", "envelope-delivered", "envelope-completed", "envelope-declined"],
            "Admin → Integrations → Connect → Add Configuration → Custom → URL to Publish, then choose the trigger events.",
            null,
            new("docusign", "HMAC secret key", "Settings → Connect → Connect Keys → Add Secret Key", "https://developers.docusign.com/platform/webhooks/connect/hmac/"),
            [new("envelope events", "$.data", "envelopeId", "envelopeSummary.emailSubject")])),
        new("dropbox", "Dropbox", "Files", "https://www.dropbox.com/developers/reference/webhooks", Json, "#0061FF", "dropbox-list-folder.json", new(
            ["Files changed (list_folder: the accounts whose files changed)"],
            "App Console → your app → Settings → Webhooks → Webhook URIs → Add.",
            "Dropbox sends a GET with ?challenge=… and expects the challenge back as plain text.",
            new("dropbox", "App secret", "App Console → your app → Settings → App secret", "https://www.dropbox.com/developers/reference/webhooks#notifications"),
            [new("files changed", "$", "list_folder.accounts[0]", "list_folder.accounts[0]")])),
        new("eventbrite", "Eventbrite", "Events", "https://www.eventbrite.com/platform/docs/webhooks", Json, "#F05537", "eventbrite-order-placed.json", new(
            ["order.placed", "order.updated", "attendee.checked_in", "event.published"],
            "Account Settings → Developer Links → Webhooks → Add Webhook → Payload URL, then choose the actions.",
            null,
            null,
            [new("order.placed", "$", "api_url", "config.action")])),
        new("freshdesk", "Freshdesk", "Customer support", "https://support.freshdesk.com/support/solutions/articles/132589-using-webhooks-in-automation-rules", Json, "#25C16F", "freshdesk-ticket-created.json", new(
            ["Ticket created", "Ticket updated", "Any automation rule's “Trigger webhook” action"],
            "Admin → Workflows → Automations → New rule → action Trigger Webhook → Request type POST → URL.",
            null,
            null,
            [new("ticket created", "$.freshdesk_webhook", "ticket_id", "ticket_subject")])),
        new("github", "GitHub", "Developer tools", "https://docs.github.com/en/webhooks/webhook-events-and-payloads", Json, "#24292F", "github-push.json", new(
            ["push", "issues", "pull_request", "release", "workflow_run"],
            "Repository → Settings → Webhooks → Add webhook → Payload URL, with Content type application/json.",
            null,
            new("github", "Secret", "Repository (or organization) Settings → Webhooks → the webhook → Secret", "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries"),
            [
                new("push", "$.commits[*]", "id", "message"),
                new("issues", "$.issue", "id", "title", "github-issues-opened.json"),
            ])),
        new("gitlab", "GitLab", "Developer tools", "https://docs.gitlab.com/user/project/integrations/webhooks/", Json, "#FC6D26", "gitlab-issue-opened.json", new(
            ["Push Hook", "Issue Hook", "Merge Request Hook", "Pipeline Hook"],
            "Project → Settings → Webhooks → Add new webhook → URL, then choose the trigger events.",
            null,
            new("gitlab", "Secret token", "Project → Settings → Webhooks → the webhook → Secret token (you choose it)", "https://docs.gitlab.com/user/project/integrations/webhooks/#validate-payloads-by-using-a-secret-token"),
            [new("Issue Hook", "$.object_attributes", "id", "title")])),
        new("hubspot", "HubSpot", "CRM", "https://developers.hubspot.com/docs/api/webhooks", Json, "#FF7A59", "hubspot-contact-events.json", new(
            ["contact.creation", "contact.propertyChange", "deal.creation", "company.creation"],
            "Developer account → your app → Webhooks → Target URL, then Create subscription for the events.",
            null,
            new("hubspot", "Client secret", "Developer account → your app → Auth → Client secret", "https://developers.hubspot.com/docs/api/webhooks/validating-requests"),
            [new("contact events", "$[*]", "objectId", "subscriptionType")])),
        new("intercom", "Intercom", "Customer support", "https://developers.intercom.com/docs/webhooks", Json, "#1F8DED", "intercom-contact-created.json", new(
            ["contact.user.created", "conversation.user.created", "conversation.admin.replied", "conversation.admin.closed"],
            "Developer Hub → your app → Configure → Webhooks → Endpoint URL, then pick the topics to send.",
            "Intercom sends a HEAD request when the endpoint URL is saved and expects a 200 answer.",
            new("intercom", "Client secret", "Developer Hub → your app → Basic information → Client secret", "https://developers.intercom.com/docs/webhooks/setting-up-webhooks"),
            [new("contact.user.created", "$.data.item", "id", "name")])),
        new("jira", "Jira", "Project management", "https://developer.atlassian.com/cloud/jira/platform/webhooks/", Json, "#0052CC", "jira-issue-created.json", new(
            ["jira:issue_created", "jira:issue_updated", "comment_created", "sprint_started"],
            "Settings → System → WebHooks → Create a WebHook → URL, then choose the events.",
            null,
            new("jira", "Secret", "Settings → System → WebHooks → the webhook → Secret", "https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks"),
            [new("jira:issue_created", "$.issue", "key", "fields.summary")])),
        new("linear", "Linear", "Project management", "https://linear.app/developers/webhooks", Json, "#5E6AD2", "linear-issue-created.json", new(
            ["Issue (create, update, remove)", "Comment", "Project", "Cycle"],
            "Settings → API → Webhooks → New webhook → URL, then choose the data change events.",
            null,
            new("linear", "Signing secret", "Settings → API → Webhooks → the webhook → Signing secret", "https://linear.app/developers/webhooks#securing-webhooks"),
            [new("Issue", "$.data", "id", "title")])),
        new("mailchimp", "Mailchimp", "Email marketing", "https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/", Form, "#241C15", "mailchimp-subscribe.form", new(
            ["subscribe", "unsubscribe", "profile", "upemail", "cleaned"],
            "Audience → Manage Audience → Settings → Webhooks → Create New Webhook → Callback URL.",
            "Mailchimp sends a GET to the URL when the webhook is saved and expects a 200 answer.",
            null,
            [new("subscribe", "$.data", "id", "email")])),
        new("mattermost", "Mattermost", "Messaging", "https://developers.mattermost.com/integrate/webhooks/outgoing/", Json, "#1E325C", "mattermost-outgoing.json", new(
            ["Outgoing webhook: a message with a trigger word, or in the watched channel"],
            "Integrations → Outgoing Webhooks → Add Outgoing Webhook → Callback URLs, with the channel or trigger words.",
            null,
            new("mattermost", "Token", "Integrations → Outgoing Webhooks → the webhook → Token", "https://developers.mattermost.com/integrate/webhooks/outgoing/"),
            [new("outgoing message", "$", "post_id", "text")])),
        new("meta", "Meta", "Messaging", "https://developers.facebook.com/docs/graph-api/webhooks/getting-started", Json, "#0866FF", "meta-whatsapp-message.json", new(
            ["WhatsApp messages", "Facebook Page feed", "Instagram comments", "Instagram messages"],
            "App Dashboard → your app → Webhooks (or WhatsApp → Configuration) → Callback URL, with the Verify token you chose.",
            "Meta sends a GET with hub.mode, hub.verify_token and hub.challenge, and expects hub.challenge back when the verify token is the one you typed.",
            new("meta", "App secret", "App Dashboard → App settings → Basic → App secret", "https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications"),
            [new("WhatsApp messages", "$.entry[*].changes[*].value.messages[*]", "id", "text.body")])),
        new("msgraph", "Microsoft Graph", "Productivity", "https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks", Json, "#0078D4", "msgraph-message-created.json", new(
            ["created", "updated", "deleted (of mail, events, users, Teams messages, files…)"],
            "No screen: create the subscription with POST /subscriptions and the URL as notificationUrl.",
            "Graph posts ?validationToken=… when the subscription is created and expects the token back as plain text within 10 seconds.",
            null,
            [new("change notifications", "$.value[*]", "resourceData.id", "resource")])),
        new("msteams", "Microsoft Teams", "Messaging", "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook", Json, "#4B53BC", "msteams-outgoing-message.json", new(
            ["Outgoing webhook: a channel message that @mentions it"],
            "The team → Manage team → Apps → Create an outgoing webhook → Callback URL.",
            null,
            new("msteams", "Security token", "Shown once when the outgoing webhook is created (the team's Apps → Create an outgoing webhook)", "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook#create-an-outgoing-webhook"),
            [new("channel message", "$", "id", "text")])),
        new("mollie", "Mollie", "Payments", "https://docs.mollie.com/reference/webhooks", Form, "#0A0A0A", "mollie-payment.form", new(
            ["Payment status changed (the body holds only the payment id)"],
            "No screen: pass the URL as webhookUrl when creating each payment with POST /v2/payments.",
            null,
            null,
            [new("payment status changed", "$", "id", "id")])),
        new("monday", "monday.com", "Project management", "https://developer.monday.com/api-reference/reference/webhooks", Json, "#FF3D57", "monday-create-item.json", new(
            ["create_pulse (item created)", "change_column_value", "change_status_column_value", "create_update"],
            "Board → Automations Center → Integrations → Webhooks → choose a recipe → the webhook URL.",
            "monday.com posts {\"challenge\": …} when the webhook is created and expects the same JSON back.",
            null,
            [new("create_pulse", "$.event", "pulseId", "pulseName")])),
        new("notion", "Notion", "Documents", "https://developers.notion.com/reference/webhooks", Json, "#191919", "notion-page-created.json", new(
            ["page.created", "page.content_updated", "page.properties_updated", "comment.created", "database.schema_updated"],
            "Integration settings → your integration → Webhooks → Create a subscription → Webhook URL.",
            "Notion posts a verification_token once when the subscription is created; paste it back in the integration's Webhooks tab to verify.",
            new("notion", "Verification token", "The verification_token of that first request, shown with the source's payloads", "https://developers.notion.com/reference/webhooks#step-3-validating-event-payloads-recommended"),
            [new("page events", "$", "entity.id", "type")])),
        new("okta", "Okta", "Identity", "https://developer.okta.com/docs/concepts/event-hooks/", Json, "#007DC1", "okta-user-created.json", new(
            ["user.lifecycle.create", "user.lifecycle.deactivate", "user.session.start", "group.user_membership.add"],
            "Admin Console → Workflow → Event Hooks → Create Event Hook → URL, then subscribe to the events.",
            "Okta sends a GET with an X-Okta-Verification-Challenge header and expects {\"verification\": …} with that value back.",
            null,
            [new("event hook", "$.data.events[*]", "uuid", "displayMessage")])),
        new("paddle", "Paddle", "Payments", "https://developer.paddle.com/webhooks/overview", Json, "#3A3DFF", "paddle-transaction-completed.json", new(
            ["transaction.completed", "subscription.created", "subscription.updated", "customer.created"],
            "Developer tools → Notifications → New destination → URL, then choose the events.",
            null,
            new("paddle", "Secret key", "Developer tools → Notifications → the destination → Secret key", "https://developer.paddle.com/webhooks/signature-verification"),
            [new("transaction.completed", "$.data", "id", "invoice_number")])),
        new("pagerduty", "PagerDuty", "Incident management", "https://developer.pagerduty.com/docs/webhooks-overview", Json, "#06AC38", "pagerduty-incident-triggered.json", new(
            ["incident.triggered", "incident.acknowledged", "incident.resolved", "incident.annotated"],
            "Integrations → Generic Webhooks (v3) → New Webhook → Webhook URL, then choose the scope and events.",
            null,
            new("pagerduty", "Signing secret", "Shown once when the webhook subscription is created (Integrations → Generic Webhooks (v3))", "https://developer.pagerduty.com/docs/verifying-webhook-signatures"),
            [new("incident events", "$.event.data", "id", "title")])),
        new("paypal", "PayPal", "Payments", "https://developer.paypal.com/api/rest/webhooks/", Json, "#003087", "paypal-capture-completed.json", new(
            ["PAYMENT.CAPTURE.COMPLETED", "CHECKOUT.ORDER.APPROVED", "BILLING.SUBSCRIPTION.ACTIVATED", "CUSTOMER.DISPUTE.CREATED"],
            "developer.paypal.com → Apps & Credentials → your app → Add Webhook → Webhook URL, then pick the event types.",
            null,
            null,
            [new("PAYMENT.CAPTURE.COMPLETED", "$", "resource.id", "summary")])),
        new("pipedrive", "Pipedrive", "CRM", "https://pipedrive.readme.io/docs/guide-for-webhooks", Json, "#017737", "pipedrive-deal-updated.json", new(
            ["create.deal", "change.deal", "create.person", "change.person"],
            "Settings → Tools and apps → Webhooks → Create new webhook → Endpoint URL, then choose the event action and object.",
            null,
            null,
            [new("deal events", "$.data", "id", "title")])),
        new("postmark", "Postmark", "Email", "https://postmarkapp.com/developer/webhooks/webhooks-overview", Json, "#FFDE00", "postmark-delivery.json", new(
            ["Delivery", "Bounce", "Open", "Click", "SpamComplaint"],
            "Servers → your server → the message stream → Webhooks → Add webhook → Webhook URL, then pick the events.",
            null,
            null,
            [new("Delivery", "$", "MessageID", "Recipient")])),
        new("quickbooks", "QuickBooks Online", "Accounting", "https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks", Json, "#2CA01C", "quickbooks-entities-changed.json", new(
            ["Customer, Invoice, Payment, Bill… created, updated, deleted"],
            "Developer portal → your app → Webhooks → Endpoint URL, then choose the entities and events.",
            null,
            new("quickbooks", "Verifier token", "Developer portal → your app → Webhooks → Show verifier token", "https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/managing-webhooks-notifications"),
            [new("entity changes", "$.eventNotifications[*].dataChangeEvent.entities[*]", "id", "name")])),
        new("resend", "Resend", "Email", "https://resend.com/docs/dashboard/webhooks/introduction", Json, "#000000", "resend-email-delivered.json", new(
            ["email.sent", "email.delivered", "email.bounced", "email.opened", "email.clicked"],
            "Resend → Webhooks → Add Webhook → Endpoint URL, then choose the events.",
            null,
            new("resend", "Signing secret (whsec_…)", "Resend → Webhooks → the webhook → Signing secret", "https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests"),
            [new("email events", "$.data", "email_id", "subject")])),
        new("sendgrid", "SendGrid", "Email", "https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event", Json, "#1A82E2", "sendgrid-events.json", new(
            ["processed", "delivered", "open", "click", "bounce"],
            "Settings → Mail Settings → Event Webhook → Create new webhook → Post URL, then pick the events.",
            null,
            new("sendgrid", "Verification key (public key)", "Settings → Mail Settings → Event Webhook → the webhook → Signature verification", "https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features"),
            [new("email events", "$[*]", "sg_event_id", "email")])),
        new("sentry", "Sentry", "Monitoring", "https://docs.sentry.io/organization/integrations/integration-platform/webhooks/", Json, "#362D59", "sentry-issue-created.json", new(
            ["issue.created", "issue.resolved", "error.created", "event_alert.triggered"],
            "Settings → Developer Settings → Create New Integration → Internal Integration → Webhook URL, then choose the webhooks to send.",
            null,
            new("sentry", "Client secret", "Settings → Developer Settings → your integration → Client Secret", "https://docs.sentry.io/organization/integrations/integration-platform/webhooks/#sentry-hook-signature"),
            [new("issue.created", "$.data.issue", "id", "title")])),
        new("shopify", "Shopify", "E-commerce", "https://shopify.dev/docs/apps/build/webhooks", Json, "#5E8E3E", "shopify-orders-create.json", new(
            ["orders/create", "orders/paid", "products/update", "customers/create"],
            "Settings → Notifications → Webhooks → Create webhook → URL, with Format JSON.",
            null,
            new("shopify", "Webhook signing secret", "Settings → Notifications → Webhooks (the key the webhooks are signed with), or the app's client secret", "https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook"),
            [
                new("orders/create", "$", "id", "name"),
                new("orders/create line items", "$.line_items[*]", "id", "title"),
            ])),
        new("slack", "Slack", "Messaging", "https://api.slack.com/apis/events-api", Json, "#4A154B", "slack-message.json", new(
            ["message", "app_mention", "reaction_added", "team_join"],
            "api.slack.com/apps → your app → Event Subscriptions → turn on Enable Events → Request URL.",
            "Slack posts a url_verification event when the Request URL is saved and expects its challenge back.",
            new("slack", "Signing secret", "api.slack.com/apps → your app → Basic Information → App Credentials → Signing Secret", "https://api.slack.com/authentication/verifying-requests-from-slack"),
            [new("message", "$.event", "ts", "text")])),
        new("square", "Square", "Payments", "https://developer.squareup.com/docs/webhooks/overview", Json, "#3E4348", "square-payment-created.json", new(
            ["payment.created", "payment.updated", "order.created", "invoice.payment_made"],
            "Developer Console → your application → Webhooks → Subscriptions → Add subscription → Notification URL, then choose the events.",
            null,
            new("square", "Signature key", "Developer Console → your application → Webhooks → Subscriptions → the subscription → Signature key", "https://developer.squareup.com/docs/webhooks/step3validate"),
            [new("payment.created", "$.data.object.payment", "id", "receipt_number")])),
        new("stripe", "Stripe", "Payments", "https://docs.stripe.com/webhooks", Json, "#635BFF", "stripe-invoice-paid.json", new(
            ["invoice.paid", "checkout.session.completed", "customer.subscription.updated", "payment_intent.succeeded"],
            "Developers → Webhooks → Add endpoint → Endpoint URL, then choose the events to send.",
            null,
            new("stripe", "Signing secret (whsec_…)", "Developers → Webhooks → the endpoint → Signing secret", "https://docs.stripe.com/webhooks#verify-events"),
            [new("invoice.paid", "$.data.object", "id", "customer_name")])),
        new("tokeet", "Tokeet", "Vacation rentals", "https://help.tokeet.com/automation/http-webhook-triggers", Json, "#2E9CDB", "tokeet-guest-created.json", new(
            ["guest.created", "booking.created", "booking.cancelled", "inquiry.created"],
            "Automation → Triggers → Add trigger → the event (e.g. Guest Created) → action HTTP Post → URL.",
            null,
            null,
            [new("guest.created", "$.guest", "pkey", "name")])),
        new("trello", "Trello", "Project management", "https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/", Json, "#0C66E4", "trello-create-card.json", new(
            ["createCard", "updateCard", "commentCard", "addMemberToCard"],
            "No screen: create the webhook with POST /1/webhooks and the URL as callbackURL.",
            "Trello sends a HEAD request when the webhook is created and expects a 200 answer.",
            new("trello", "Application secret", "trello.com/power-ups/admin → your Power-Up → API key → Secret", "https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures"),
            [new("createCard", "$.action.data.card", "id", "name")])),
        new("twilio", "Twilio", "Messaging", "https://www.twilio.com/docs/usage/webhooks", Form, "#F22F46", "twilio-incoming-sms.form", new(
            ["Incoming message", "Message status callback", "Incoming call"],
            "Console → Phone Numbers → Active numbers → the number → Messaging → A message comes in → URL, with HTTP POST.",
            null,
            new("twilio", "Auth token", "Console → Account info → Auth Token", "https://www.twilio.com/docs/usage/webhooks/webhooks-security#validating-signatures-from-twilio"),
            [new("incoming message", "$", "MessageSid", "Body")])),
        new("typeform", "Typeform", "Forms", "https://www.typeform.com/developers/webhooks/", Json, "#262627", "typeform-form-response.json", new(
            ["form_response"],
            "The form → Connect → Webhooks → Add a webhook → Endpoint, then turn the webhook on.",
            null,
            new("typeform", "Secret", "The form → Connect → Webhooks → Edit → Secret", "https://www.typeform.com/developers/webhooks/secure-your-webhooks/"),
            [new("form_response", "$.form_response", "token", "definition.title")])),
        new("vercel", "Vercel", "Developer tools", "https://vercel.com/docs/webhooks", Json, "#000000", "vercel-deployment-succeeded.json", new(
            ["deployment.created", "deployment.succeeded", "deployment.error", "project.created"],
            "Team Settings → Webhooks → Create Webhook → Endpoint URL, then choose the events and projects.",
            null,
            new("vercel", "Webhook secret", "Team Settings → Webhooks, shown once when the webhook is created", "https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks"),
            [new("deployment events", "$.payload.deployment", "id", "url")])),
        new("webflow", "Webflow", "Websites", "https://developers.webflow.com/data/docs/working-with-webhooks", Json, "#146EF5", "webflow-form-submission.json", new(
            ["form_submission", "site_publish", "ecomm_new_order", "collection_item_created"],
            "Site settings → Apps & integrations → Webhooks → Add webhook → Endpoint URL, with the trigger type.",
            null,
            new("webflow", "Webhook secret", "Site settings → Apps & integrations → Webhooks (for webhooks made there), or the app's client secret", "https://developers.webflow.com/data/docs/working-with-webhooks#validating-request-signatures"),
            [new("form_submission", "$.payload", "id", "name")])),
        new("woocommerce", "WooCommerce", "E-commerce", "https://woocommerce.com/document/webhooks/", Json, "#7F54B3", "woocommerce-order-created.json", new(
            ["order.created", "order.updated", "product.updated", "customer.created"],
            "WooCommerce → Settings → Advanced → Webhooks → Add webhook → Delivery URL, with Status Active and a topic.",
            null,
            new("woocommerce", "Secret", "WooCommerce → Settings → Advanced → Webhooks → the webhook → Secret", "https://woocommerce.com/document/webhooks/"),
            [
                new("order.created", "$", "id", "number"),
                new("order.created line items", "$.line_items[*]", "id", "name"),
            ])),
        new("xero", "Xero", "Accounting", "https://developer.xero.com/documentation/guides/webhooks/overview/", Json, "#13B5EA", "xero-invoice-updated.json", new(
            ["INVOICE CREATE / UPDATE", "CONTACT CREATE / UPDATE", "SUBSCRIPTION"],
            "Developer portal → My Apps → your app → Webhooks → Delivery URL, then choose the events.",
            "Intent to receive: Xero sends correctly and wrongly signed test events; the receiver answers 200 only to the correctly signed ones and 401 to the rest.",
            new("xero", "Webhooks key", "Developer portal → My Apps → your app → Webhooks → Webhooks key", "https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/"),
            [new("events", "$.events[*]", "resourceId", "eventCategory")])),
        new("zendesk", "Zendesk", "Customer support", "https://developer.zendesk.com/api-reference/webhooks/introduction/", Json, "#03363D", "zendesk-ticket-updated.json", new(
            ["zen:event-type:ticket.created", "zen:event-type:ticket.status_changed", "zen:event-type:user.created"],
            "Admin Center → Apps and integrations → Webhooks → Create webhook → Endpoint URL, choosing the Zendesk events.",
            null,
            new("zendesk", "Signing secret", "Admin Center → Apps and integrations → Webhooks → the webhook → Signing secret → Reveal", "https://developer.zendesk.com/documentation/webhooks/verifying/"),
            [new("ticket events", "$.detail", "id", "subject")])),
        new("zoom", "Zoom", "Meetings", "https://developers.zoom.us/docs/api/webhooks/", Json, "#0B5CFF", "zoom-meeting-started.json", new(
            ["meeting.started", "meeting.ended", "meeting.participant_joined", "recording.completed"],
            "App Marketplace → Manage → your app → Features → Access → Event Subscription → Event notification endpoint URL.",
            "Zoom posts endpoint.url_validation with a plainToken and expects it back with its HMAC (the encryptedToken).",
            new("zoom", "Secret token", "App Marketplace → Manage → your app → Features → Access → Secret Token", "https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events"),
            [new("meeting events", "$.payload.object", "uuid", "topic")])),
    ];
}
