package dev.apiguard.semantics;

import static dev.apiguard.semantics.Samples.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Success bodies shaped as popular public APIs document them (the doc each follows is named beside it;
 * "generic shape" marks a common convention no single doc owns), written from those docs, none taken from
 * the corpus. Bodies are shortened to the members that matter. Each is a request that went through, so each
 * must read as Ok: a rule that fires on one of them would fire on unseen APIs' successes. Precision is the
 * priority. The twin tests below pair each principle drawn from them with the failure it must still catch.
 */
class SuccessBodiesTest {
    private final Classifier c = Classifiers.builtIn();

    record Probe(String name, String method, int status, String contentType, String body) {}

    private static final String JSON = "application/json";
    private static final String XML = "text/xml";

    static List<Probe> probes() {
        List<Probe> p = new ArrayList<>();
        // GitHub REST docs, "List repository issues": a read of records whose titles talk about errors.
        p.add(new Probe("github issues", "GET", 200, JSON, "[{\"id\":1,\"number\":1347,\"state\":\"open\",\"title\":\"Found a bug: error on save\",\"body\":\"It fails with an error\",\"labels\":[{\"name\":\"bug\"}]},{\"id\":2,\"number\":1348,\"state\":\"closed\",\"title\":\"Request denied\",\"body\":null}]"));
        // GitHub REST docs, "List workflow runs for a repository": one run failed among several.
        p.add(new Probe("github workflow runs", "GET", 200, JSON, "{\"total_count\":3,\"workflow_runs\":[{\"id\":30433642,\"name\":\"Build\",\"status\":\"completed\",\"conclusion\":\"failure\"},{\"id\":30433643,\"name\":\"Build\",\"status\":\"completed\",\"conclusion\":\"success\"}]}"));
        // GitHub REST docs, "Get a check run": a read of a failed check.
        p.add(new Probe("github check run", "GET", 200, JSON, "{\"id\":4,\"head_sha\":\"ce587453ced02b1526dfb4cb910479d431683101\",\"status\":\"completed\",\"conclusion\":\"failure\",\"name\":\"mighty_readme\",\"output\":{\"title\":\"Mighty Readme report\",\"summary\":\"There are 0 failures, 2 warnings, and 1 notices.\"}}"));
        // GitHub REST docs, "Get the combined status for a specific reference".
        p.add(new Probe("github combined status", "GET", 200, JSON, "{\"state\":\"failure\",\"statuses\":[{\"url\":\"https://api.github.com/repos/o/r/statuses/6dcb09b\",\"state\":\"failure\",\"description\":\"Build has failed\",\"context\":\"continuous-integration/jenkins\"}],\"sha\":\"6dcb09b5b57875f334f61aebed695e2e4193db5e\",\"total_count\":1}"));
        // Stripe API docs, "Retrieve a charge": a declined charge read back.
        p.add(new Probe("stripe charge read", "GET", 200, JSON, "{\"id\":\"ch_3MmlLrLkdIwHu7ix0snN0B15\",\"object\":\"charge\",\"amount\":1099,\"captured\":false,\"failure_code\":\"card_declined\",\"failure_message\":\"Your card was declined.\",\"outcome\":{\"network_status\":\"declined_by_network\",\"type\":\"issuer_declined\"},\"paid\":false,\"status\":\"failed\"}"));
        // Stripe API docs, "List all charges": a list with a failed charge.
        p.add(new Probe("stripe charges list", "GET", 200, JSON, "{\"object\":\"list\",\"url\":\"/v1/charges\",\"has_more\":false,\"data\":[{\"id\":\"ch_1\",\"object\":\"charge\",\"amount\":1099,\"status\":\"failed\",\"failure_code\":\"card_declined\"},{\"id\":\"ch_2\",\"object\":\"charge\",\"amount\":500,\"status\":\"succeeded\"}]}"));
        // Stripe API docs, "List all events": a payment_failed event read.
        p.add(new Probe("stripe events", "GET", 200, JSON, "{\"object\":\"list\",\"data\":[{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"invoice.payment_failed\",\"data\":{\"object\":{\"id\":\"in_1\",\"status\":\"open\"}}}],\"has_more\":false}"));
        // Stripe API docs, "Create a PaymentIntent": requires_payment_method is in progress.
        p.add(new Probe("stripe payment intent", "POST", 200, JSON, "{\"id\":\"pi_3MtwBwLkdIwHu7ix28a3tqPa\",\"object\":\"payment_intent\",\"amount\":2000,\"currency\":\"usd\",\"status\":\"requires_payment_method\",\"last_payment_error\":null}"));
        // Twilio docs, "Fetch a Message resource": a failed message read back.
        p.add(new Probe("twilio message read", "GET", 200, JSON, "{\"sid\":\"SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"status\":\"undelivered\",\"error_code\":30003,\"error_message\":\"Unreachable destination handset\",\"to\":\"+15558675310\",\"uri\":\"/2010-04-01/Accounts/AC1/Messages/SM1.json\"}"));
        // Twilio docs, "Create a Message resource": queued.
        p.add(new Probe("twilio message create", "POST", 201, JSON, "{\"sid\":\"SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"status\":\"queued\",\"error_code\":null,\"error_message\":null,\"to\":\"+15558675310\"}"));
        // Twilio Lookup v2 docs: line type intelligence, a valid:false number is the lookup's answer.
        p.add(new Probe("twilio lookup invalid number", "GET", 200, JSON, "{\"calling_country_code\":null,\"country_code\":null,\"phone_number\":\"+0000\",\"national_format\":null,\"valid\":false,\"validation_errors\":[\"TOO_SHORT\"],\"url\":\"https://lookups.twilio.com/v2/PhoneNumbers/+0000\"}"));
        // Slack Web API docs, chat.postMessage: ok:true with a warning.
        p.add(new Probe("slack ok", "POST", 200, JSON, "{\"ok\":true,\"channel\":\"C123ABC456\",\"ts\":\"1503435956.000247\",\"warning\":\"missing_charset\",\"response_metadata\":{\"warnings\":[\"missing_charset\"]}}"));
        // Slack Web API docs, conversations.history: messages mention failures.
        p.add(new Probe("slack history", "GET", 200, JSON, "{\"ok\":true,\"messages\":[{\"type\":\"message\",\"text\":\"deploy failed: error 500\",\"ts\":\"1512085950.000216\"}],\"has_more\":false}"));
        // AWS DynamoDB docs, GetItem: an item whose attributes are named error and status.
        p.add(new Probe("dynamodb getitem", "POST", 200, "application/x-amz-json-1.0", "{\"Item\":{\"status\":{\"S\":\"FAILED\"},\"error\":{\"S\":\"timeout\"},\"pk\":{\"S\":\"job#1\"}}}"));
        // AWS DynamoDB docs, BatchWriteItem: empty UnprocessedItems is full success.
        p.add(new Probe("dynamodb batchwrite ok", "POST", 200, "application/x-amz-json-1.0", "{\"UnprocessedItems\":{},\"ConsumedCapacity\":[{\"TableName\":\"Forum\",\"CapacityUnits\":3}]}"));
        // AWS Kinesis docs, PutRecords: FailedRecordCount 0.
        p.add(new Probe("kinesis putrecords ok", "POST", 200, "application/x-amz-json-1.1", "{\"FailedRecordCount\":0,\"Records\":[{\"SequenceNumber\":\"49543463076548007577105092703039560359975228518395019266\",\"ShardId\":\"shardId-000000000000\"}]}"));
        // AWS Step Functions docs, DescribeExecution: a read of a failed execution.
        p.add(new Probe("sfn describe execution", "POST", 200, "application/x-amz-json-1.0", "{\"executionArn\":\"arn:aws:states:us-east-1:123456789012:execution:HelloWorld:e1\",\"status\":\"FAILED\",\"error\":\"States.TaskFailed\",\"cause\":\"Lambda failed\",\"startDate\":1.5e9}"));
        // AWS CloudFormation docs (JSON form), DescribeStacks: ROLLBACK_COMPLETE read back.
        p.add(new Probe("cloudformation describe", "GET", 200, JSON, "{\"Stacks\":[{\"StackName\":\"myteststack\",\"StackId\":\"arn:aws:cloudformation:us-east-1:1:stack/myteststack/1\",\"StackStatus\":\"ROLLBACK_COMPLETE\",\"StackStatusReason\":\"The following resource(s) failed to create\"}]}"));
        // Google Cloud docs, long-running Operation get: done with an error is the operation's record, read.
        p.add(new Probe("google operation list", "GET", 200, JSON, "{\"operations\":[{\"name\":\"operations/op-1\",\"done\":true,\"error\":{\"code\":3,\"message\":\"Invalid argument\"}},{\"name\":\"operations/op-2\",\"done\":true,\"response\":{}}]}"));
        // Google Maps Geocoding docs: status OK.
        p.add(new Probe("google geocode ok", "GET", 200, JSON, "{\"results\":[{\"formatted_address\":\"1600 Amphitheatre Pkwy\",\"place_id\":\"ChIJ2eUgeAK6j4ARbn5u_wAGqWA\"}],\"status\":\"OK\"}"));
        // Google Maps Geocoding docs: ZERO_RESULTS is an empty result.
        p.add(new Probe("google geocode zero", "GET", 200, JSON, "{\"results\":[],\"status\":\"ZERO_RESULTS\"}"));
        // Shopify Admin REST docs, orders: financial_status voided, a read.
        p.add(new Probe("shopify order", "GET", 200, JSON, "{\"order\":{\"id\":450789469,\"financial_status\":\"voided\",\"fulfillment_status\":null,\"cancel_reason\":\"declined\",\"cancelled_at\":\"2008-01-10T11:00:00-05:00\"}}"));
        // Shopify Admin GraphQL docs: a mutation with userErrors empty.
        p.add(new Probe("shopify graphql mutation ok", "POST", 200, JSON, "{\"data\":{\"productCreate\":{\"product\":{\"id\":\"gid://shopify/Product/1\"},\"userErrors\":[]}},\"extensions\":{\"cost\":{\"requestedQueryCost\":10}}}"));
        // GraphQL spec: errors empty or null beside data.
        p.add(new Probe("graphql errors empty", "POST", 200, JSON, "{\"data\":{\"viewer\":{\"login\":\"octocat\"}},\"errors\":[]}"));
        p.add(new Probe("graphql errors null", "POST", 200, JSON, "{\"errors\":null,\"data\":{\"hero\":{\"name\":\"R2-D2\"}}}"));
        // Generic shape (no single public doc): GraphQL: a query whose fields are named error/status (data about records).
        p.add(new Probe("graphql records with status", "POST", 200, JSON, "{\"data\":{\"deployments\":{\"nodes\":[{\"id\":\"D1\",\"state\":\"FAILURE\",\"errorMessage\":\"build failed\"}]}}}"));
        // SendGrid v3 docs, mail/send: 202 with an empty body.
        p.add(new Probe("sendgrid accepted", "POST", 202, JSON, ""));
        // SendGrid v3 docs, bounces list: a read of bounced addresses.
        p.add(new Probe("sendgrid bounces", "GET", 200, JSON, "[{\"created\":1443651125,\"email\":\"testemail1@test.com\",\"reason\":\"550 5.1.1 The email account that you tried to reach does not exist.\",\"status\":\"5.1.1\"}]"));
        // PayPal Orders v2 docs, capture: COMPLETED.
        p.add(new Probe("paypal capture ok", "POST", 201, JSON, "{\"id\":\"5O190127TN364715T\",\"status\":\"COMPLETED\",\"purchase_units\":[{\"payments\":{\"captures\":[{\"id\":\"3C679366HH908993F\",\"status\":\"COMPLETED\"}]}}]}"));
        // PayPal Orders v2 docs, create: PAYER_ACTION_REQUIRED is in progress.
        p.add(new Probe("paypal order pending", "POST", 200, JSON, "{\"id\":\"5O190127TN364715T\",\"status\":\"PAYER_ACTION_REQUIRED\",\"links\":[{\"href\":\"https://www.paypal.com/checkoutnow?token=5O1\",\"rel\":\"payer-action\",\"method\":\"GET\"}]}"));
        // Kubernetes API docs: a Status object with status Success (DELETE answer).
        p.add(new Probe("k8s status success", "DELETE", 200, JSON, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\",\"details\":{\"name\":\"nginx\",\"kind\":\"pods\"}}"));
        // Kubernetes API docs: a pod list with a failed pod.
        p.add(new Probe("k8s pod list", "GET", 200, JSON, "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[{\"metadata\":{\"name\":\"job-1\"},\"status\":{\"phase\":\"Failed\",\"reason\":\"Evicted\",\"message\":\"The node was low on resource\"}}]}"));
        // Kubernetes API docs: a Job read whose condition is Failed.
        p.add(new Probe("k8s job read", "GET", 200, JSON, "{\"kind\":\"Job\",\"metadata\":{\"name\":\"pi\",\"uid\":\"a1\"},\"status\":{\"failed\":1,\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\",\"reason\":\"BackoffLimitExceeded\"}]}}"));
        // Elasticsearch docs, _bulk: errors false.
        p.add(new Probe("es bulk ok", "POST", 200, JSON, "{\"took\":30,\"errors\":false,\"items\":[{\"index\":{\"_index\":\"test\",\"_id\":\"1\",\"_version\":1,\"result\":\"created\",\"_shards\":{\"total\":2,\"successful\":1,\"failed\":0},\"status\":201,\"_seq_no\":0,\"_primary_term\":1}}]}"));
        // Elasticsearch docs, _search: shards failed 0, hits with error words.
        p.add(new Probe("es search", "GET", 200, JSON, "{\"took\":5,\"timed_out\":false,\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,\"failed\":0},\"hits\":{\"total\":{\"value\":1,\"relation\":\"eq\"},\"hits\":[{\"_id\":\"0\",\"_source\":{\"message\":\"payment declined\",\"level\":\"error\"}}]}}"));
        // Elasticsearch docs, cluster health: status yellow.
        p.add(new Probe("es cluster health", "GET", 200, JSON, "{\"cluster_name\":\"testcluster\",\"status\":\"yellow\",\"timed_out\":false,\"number_of_nodes\":1,\"unassigned_shards\":1}"));
        // JSON-RPC 2.0 spec: a result, with a null error member (some servers send it).
        p.add(new Probe("jsonrpc result", "POST", 200, JSON, "{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":1}"));
        // Ethereum JSON-RPC docs, eth_getTransactionReceipt: status 0x0 is a reverted transaction read.
        p.add(new Probe("eth receipt", "POST", 200, JSON, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"transactionHash\":\"0xab\",\"status\":\"0x0\",\"gasUsed\":\"0x5208\"}}"));
        // SOAP 1.1 spec-style success answer.
        p.add(new Probe("soap success", "POST", 200, XML, "<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><m:GetPriceResponse xmlns:m=\"https://www.w3schools.com/prices\"><m:Price>1.90</m:Price></m:GetPriceResponse></soap:Body></soap:Envelope>"));
        // Generic shape (no single public doc): XML success: an RSS feed whose item names an error.
        p.add(new Probe("rss feed", "GET", 200, "application/rss+xml", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Status</title><item><title>Error rates elevated</title><description>Errors resolved</description></item></channel></rss>"));
        // S3 docs, ListObjectsV2: keys named error.
        p.add(new Probe("s3 list", "GET", 200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bucket</Name><Contents><Key>error.html</Key><Size>434</Size></Contents><Contents><Key>logs/Errors/2024.log</Key></Contents></ListBucketResult>"));
        // E-mail verifier docs (ZeroBounce-style validate): an invalid address is the check's answer.
        p.add(new Probe("email verifier invalid", "GET", 200, JSON, "{\"address\":\"invalid@example.com\",\"status\":\"invalid\",\"sub_status\":\"mailbox_not_found\",\"free_email\":false,\"did_you_mean\":null}"));
        // E-mail verifier docs (Kickbox-style verify): undeliverable result.
        p.add(new Probe("email verify undeliverable", "GET", 200, JSON, "{\"result\":\"undeliverable\",\"reason\":\"rejected_email\",\"role\":false,\"free\":false,\"disposable\":false,\"accept_all\":false,\"email\":\"bill.lumbergh@gamil.com\",\"success\":true,\"message\":null}"));
        // KYC docs (Onfido-style check): a consider/declined result is the content of the check.
        p.add(new Probe("kyc check read", "GET", 200, JSON, "{\"id\":\"8546921-123123-123123\",\"status\":\"complete\",\"result\":\"consider\",\"href\":\"/v3/checks/8546921\"}"));
        p.add(new Probe("kyc identity nomatch", "POST", 200, JSON, "{\"request_id\":\"r1\",\"match_result\":\"nomatch\",\"verification\":{\"name\":\"nomatch\",\"dob\":\"match\"},\"decision\":\"declined\",\"status\":\"completed\"}"));
        // Health check (RFC draft health+json / Spring Actuator-style): failing counters at zero.
        p.add(new Probe("health failing zero", "GET", 200, JSON, "{\"status\":\"UP\",\"checks\":{\"db\":{\"status\":\"UP\"}},\"failing\":0,\"passing\":12}"));
        p.add(new Probe("health json warn", "GET", 200, "application/health+json", "{\"status\":\"warn\",\"version\":\"1\",\"checks\":{\"cassandra:connections\":[{\"componentType\":\"datastore\",\"status\":\"warn\",\"output\":\"\"}]}}"));
        // Generic shape (no single public doc): Job list (Sidekiq/Jenkins-style API): a failed job among many, read.
        p.add(new Probe("job list", "GET", 200, JSON, "{\"jobs\":[{\"id\":\"j1\",\"status\":\"succeeded\"},{\"id\":\"j2\",\"status\":\"failed\",\"error\":\"Timeout\"},{\"id\":\"j3\",\"status\":\"running\"}],\"total\":3}"));
        p.add(new Probe("job list no ids", "GET", 200, JSON, "{\"jobs\":[{\"name\":\"nightly\",\"status\":\"error\",\"message\":\"exit 1\"},{\"name\":\"hourly\",\"status\":\"ok\",\"message\":\"done\"}]}"));
        // Generic shape (no single public doc): Audit log (Okta System Log-style): error events on a GET.
        p.add(new Probe("audit log", "GET", 200, JSON, "[{\"uuid\":\"dc9fd3c0\",\"eventType\":\"user.session.start\",\"outcome\":{\"result\":\"FAILURE\",\"reason\":\"INVALID_CREDENTIALS\"},\"severity\":\"WARN\"}]"));
        // Generic shape (no single public doc): Search results mentioning declined.
        p.add(new Probe("search declined", "GET", 200, JSON, "{\"query\":\"declined\",\"results\":[{\"title\":\"Why was my card declined?\",\"url\":\"https://help.example.com/declined\"}],\"count\":1}"));
        // Generic shape (no single public doc): Metrics (Datadog/Prometheus-API style): error counts as statistics.
        p.add(new Probe("metrics counts", "GET", 200, JSON, "{\"service\":\"checkout\",\"request_count\":10400,\"error_count\":37,\"failure_rate\":0.0035,\"errors\":37}"));
        p.add(new Probe("prometheus query", "GET", 200, JSON, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"http_errors_total\",\"status\":\"500\"},\"value\":[1435781451.781,\"1\"]}]}}"));
        // Status page (Atlassian Statuspage API docs): a degraded component.
        p.add(new Probe("statuspage", "GET", 200, JSON, "{\"page\":{\"id\":\"kctbh9vrtdwd\",\"name\":\"GitHub\"},\"status\":{\"indicator\":\"minor\",\"description\":\"Partially Degraded Service\"},\"components\":[{\"id\":\"c1\",\"name\":\"API\",\"status\":\"degraded_performance\"}]}"));
        // Generic shape (no single public doc): Feature flags (LaunchDarkly-style): a flag named errors_enabled.
        p.add(new Probe("feature flags", "GET", 200, JSON, "{\"flags\":{\"errors_enabled\":false,\"error_reporting\":true,\"fail_fast\":true}}"));
        p.add(new Probe("flag values", "GET", 200, JSON, "{\"error\":false,\"failed\":false,\"declined\":false,\"items\":[]}"));
        // Sentry API docs, list issues: error-level issues on a GET.
        p.add(new Probe("sentry issues", "GET", 200, JSON, "[{\"id\":\"1\",\"level\":\"error\",\"status\":\"unresolved\",\"title\":\"ZeroDivisionError\",\"culprit\":\"raven.scripts.runner in main\",\"type\":\"error\"}]"));
        // Mailgun docs, events: failed deliveries read.
        p.add(new Probe("mailgun events", "GET", 200, JSON, "{\"items\":[{\"event\":\"failed\",\"severity\":\"permanent\",\"reason\":\"bounce\",\"delivery-status\":{\"code\":550,\"message\":\"No such user\"},\"id\":\"W3X4JOhFT\"}],\"paging\":{\"next\":\"https://api.mailgun.net/v3/x/events/W3\"}}"));
        // Stripe docs, payouts list with a failed payout.
        p.add(new Probe("stripe payouts", "GET", 200, JSON, "{\"object\":\"list\",\"data\":[{\"id\":\"po_1\",\"object\":\"payout\",\"amount\":1100,\"status\":\"failed\",\"failure_code\":\"account_closed\"}],\"has_more\":false}"));
        // Docker Engine API docs, container inspect: State with Error "" and ExitCode 1.
        p.add(new Probe("docker inspect", "GET", 200, JSON, "{\"Id\":\"ba033ac44011\",\"State\":{\"Status\":\"exited\",\"Running\":false,\"ExitCode\":1,\"Error\":\"\",\"OOMKilled\":false},\"Name\":\"/boring_euclid\"}"));
        // Jenkins JSON API: last build result FAILURE.
        p.add(new Probe("jenkins build", "GET", 200, JSON, "{\"_class\":\"hudson.model.FreeStyleBuild\",\"building\":false,\"number\":42,\"result\":\"FAILURE\",\"url\":\"http://ci/job/x/42/\"}"));
        // CircleCI v2 docs, pipeline workflows.
        p.add(new Probe("circleci workflows", "GET", 200, JSON, "{\"next_page_token\":null,\"items\":[{\"pipeline_id\":\"5034460f\",\"id\":\"w1\",\"name\":\"build-and-test\",\"status\":\"failed\",\"created_at\":\"2020-01-01T00:00:00Z\"}]}"));
        // Generic shape (no single public doc): npm registry-style / generic: a POST search returning items with status rejected.
        p.add(new Probe("orders search", "POST", 200, JSON, "{\"orders\":[{\"order_id\":\"o1\",\"status\":\"rejected\",\"reason\":\"out of stock\"}],\"total\":1}"));
        // Twilio Verify docs, verification check: pending status is the answer.
        p.add(new Probe("twilio verify pending", "POST", 200, JSON, "{\"sid\":\"VEaaaa\",\"status\":\"pending\",\"valid\":false,\"to\":\"+15017122661\",\"channel\":\"sms\"}"));
        // Plaid docs, item get: error null.
        p.add(new Probe("plaid item", "POST", 200, JSON, "{\"item\":{\"item_id\":\"Ed6bjNrDLJfGvZWwnkQlfxwoNz54B5C97ejBr\",\"error\":null,\"institution_id\":\"ins_109508\"},\"request_id\":\"m8MDnv9okwxFNBV\"}"));
        // Mailchimp docs, batch operation status: errored_operations 0.
        p.add(new Probe("mailchimp batch", "GET", 200, JSON, "{\"id\":\"b1\",\"status\":\"finished\",\"total_operations\":10,\"finished_operations\":10,\"errored_operations\":0,\"response_body_url\":\"https://x\"}"));
        // Microsoft Graph docs, $batch: all 2xx.
        p.add(new Probe("msgraph batch ok", "POST", 200, JSON, "{\"responses\":[{\"id\":\"1\",\"status\":200,\"body\":{\"displayName\":\"a\"}},{\"id\":\"2\",\"status\":204,\"body\":null}]}"));
        // Salesforce composite docs: all created.
        p.add(new Probe("salesforce composite ok", "POST", 200, JSON, "{\"hasErrors\":false,\"results\":[{\"referenceId\":\"ref1\",\"id\":\"001D000000K0fXOIAZ\"}]}"));
        // Salesforce sObject create docs: success true, errors [].
        p.add(new Probe("salesforce create", "POST", 201, JSON, "{\"id\":\"001D000000IqhSLIAZ\",\"errors\":[],\"success\":true}"));
        // Jira REST docs, search: issues with status names.
        p.add(new Probe("jira search", "GET", 200, JSON, "{\"startAt\":0,\"maxResults\":50,\"total\":1,\"issues\":[{\"id\":\"10002\",\"key\":\"ED-1\",\"fields\":{\"status\":{\"name\":\"Rejected\"},\"summary\":\"Error when failing login\"}}]}"));
        // Mollie docs, get payment: failed status read back.
        p.add(new Probe("mollie payment read", "GET", 200, JSON, "{\"resource\":\"payment\",\"id\":\"tr_WDqYK6vllg\",\"amount\":{\"value\":\"10.00\",\"currency\":\"EUR\"},\"status\":\"failed\",\"details\":{\"failureReason\":\"insufficient_funds\"}}"));
        // Adyen docs, payment details list: a read of refused payments via report API (GET).
        p.add(new Probe("adyen read", "GET", 200, JSON, "{\"pspReference\":\"8535296650153317\",\"resultCode\":\"Refused\",\"refusalReason\":\"Not enough balance\",\"merchantReference\":\"x\"}"));
        // Generic API: 200 wrapper "result" with records.
        p.add(new Probe("result wrapper records", "GET", 200, JSON, "{\"result\":{\"items\":[{\"id\":1,\"status\":\"error\",\"message\":\"disk full\"}],\"count\":1}}"));
        // Generic: a log query API on GET returning lines.
        p.add(new Probe("log lines", "GET", 200, JSON, "{\"logs\":[{\"level\":\"ERROR\",\"message\":\"Invalid token for user 5\",\"code\":401}]}"));
        // Cloudflare API docs: success true, errors [].
        p.add(new Probe("cloudflare ok", "GET", 200, JSON, "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"id\":\"023e105f4ecef8ad9ca31a8372d0c353\",\"status\":\"active\"}}"));
        // Firebase FCM HTTP v1 docs: a message name.
        p.add(new Probe("fcm send", "POST", 200, JSON, "{\"name\":\"projects/myproject-b5ae1/messages/0:1500415314455276%31bd1c9631bd1c96\"}"));
        // Generic shape (no single public doc): Netlify / Vercel deployments list: state error on a GET.
        p.add(new Probe("vercel deployments", "GET", 200, JSON, "{\"deployments\":[{\"uid\":\"dpl_1\",\"state\":\"ERROR\",\"errorMessage\":\"Build failed\",\"url\":\"x.vercel.app\"}],\"pagination\":{\"count\":1}}"));
        // Generic shape (no single public doc): A single-object read with an error member describing a past run (Airflow dagRun-style).
        p.add(new Probe("airflow task instance", "GET", 200, JSON, "{\"task_id\":\"t1\",\"dag_id\":\"d1\",\"state\":\"failed\",\"try_number\":3,\"note\":\"error in upstream\"}"));
        // OpenAI API reference, Retrieve batch: a failed batch read back.
        p.add(new Probe("openai batch read", "GET", 200, JSON, "{\"id\":\"batch_abc123\",\"object\":\"batch\",\"endpoint\":\"/v1/completions\",\"errors\":{\"object\":\"list\",\"data\":[{\"code\":\"invalid_json\",\"message\":\"Line 1 is not valid JSON\",\"line\":1}]},\"status\":\"failed\"}"));
        // OpenAI API reference, Retrieve fine-tuning job.
        p.add(new Probe("openai fine-tune read", "GET", 200, JSON, "{\"object\":\"fine_tuning.job\",\"id\":\"ftjob-abc123\",\"model\":\"gpt-4o-mini\",\"status\":\"failed\",\"error\":{\"code\":\"invalid_training_file\",\"message\":\"The file is malformed\",\"param\":\"training_file\"}}"));
        // OpenAI API reference, Create moderation: flagged content is the answer.
        p.add(new Probe("openai moderation", "POST", 200, JSON, "{\"id\":\"modr-XXXXX\",\"model\":\"omni-moderation-latest\",\"results\":[{\"flagged\":true,\"categories\":{\"violence\":true},\"category_scores\":{\"violence\":0.98}}]}"));
        // GitHub REST docs, List deliveries for a repository webhook.
        p.add(new Probe("github hook deliveries", "GET", 200, JSON, "[{\"id\":12345678,\"guid\":\"0b989ba4-242f-11e5-81e1-c7b6966d2516\",\"delivered_at\":\"2019-06-03T00:57:16Z\",\"redelivery\":false,\"duration\":0.27,\"status\":\"Invalid HTTP Response: 400\",\"status_code\":400,\"event\":\"issues\",\"action\":\"opened\"}]"));
        // GitHub REST docs, List jobs for a workflow run.
        p.add(new Probe("github actions jobs", "GET", 200, JSON, "{\"total_count\":1,\"jobs\":[{\"id\":399444496,\"run_id\":29679449,\"status\":\"completed\",\"conclusion\":\"failure\",\"name\":\"build\",\"steps\":[{\"name\":\"Run tests\",\"status\":\"completed\",\"conclusion\":\"failure\",\"number\":3}]}]}"));
        // Postmark API docs, Send a single email.
        p.add(new Probe("postmark send", "POST", 200, JSON, "{\"To\":\"receiver@example.com\",\"SubmittedAt\":\"2014-02-17T07:25:01.4178645-05:00\",\"MessageID\":\"0a129aee-e1cd-480d-b08d-4f48548ff48d\",\"ErrorCode\":0,\"Message\":\"OK\"}"));
        // Postmark API docs, Get bounces.
        p.add(new Probe("postmark bounces", "GET", 200, JSON, "{\"TotalCount\":1,\"Bounces\":[{\"ID\":692560173,\"Type\":\"HardBounce\",\"TypeCode\":1,\"Name\":\"Hard bounce\",\"Description\":\"The server was unable to deliver your message\",\"Details\":\"smtp;550 5.1.1 user unknown\",\"Email\":\"anything@blackhole.postmarkapp.com\",\"Inactive\":true}]}"));
        // Mailchimp Transactional docs, messages/send.
        p.add(new Probe("mandrill send", "POST", 200, JSON, "[{\"email\":\"recipient.email@example.com\",\"status\":\"sent\",\"_id\":\"abc123abc123abc123abc123abc123\",\"reject_reason\":null,\"queued_reason\":null}]"));
        // Mailgun docs, Email validation v4.
        p.add(new Probe("mailgun validate", "GET", 200, JSON, "{\"address\":\"foo@mailgun.net\",\"is_disposable_address\":false,\"is_role_address\":false,\"reason\":[\"mailbox_does_not_exist\"],\"result\":\"undeliverable\",\"risk\":\"high\"}"));
        // Abstract API docs, Email validation.
        p.add(new Probe("abstract email", "GET", 200, JSON, "{\"email\":\"johnsmith@gmail.com\",\"autocorrect\":\"\",\"deliverability\":\"UNDELIVERABLE\",\"quality_score\":0.1,\"is_valid_format\":{\"value\":true,\"text\":\"TRUE\"},\"is_smtp_valid\":{\"value\":false,\"text\":\"FALSE\"}}"));
        // IPQualityScore docs, proxy & VPN detection.
        p.add(new Probe("ipqs fraud", "GET", 200, JSON, "{\"success\":true,\"message\":\"Success\",\"fraud_score\":88,\"proxy\":true,\"vpn\":true,\"recent_abuse\":true,\"request_id\":\"4Ds3rv1\"}"));
        // Sift docs, Score API.
        p.add(new Probe("sift score", "GET", 200, JSON, "{\"status\":0,\"error_message\":\"OK\",\"user_id\":\"billy_jones_301\",\"scores\":{\"payment_abuse\":{\"score\":0.898391231245,\"reasons\":[{\"name\":\"UsersPerDevice\",\"value\":\"4\"}]}}}"));
        // Checkr API docs, Retrieve a report.
        p.add(new Probe("checkr report", "GET", 200, JSON, "{\"id\":\"4722c07dd9a10c3985ae432a\",\"object\":\"report\",\"status\":\"consider\",\"adjudication\":null,\"package\":\"driver_pro\"}"));
        // Persona API docs (JSON:API), Retrieve an inquiry.
        p.add(new Probe("persona inquiry", "GET", 200, "application/vnd.api+json", "{\"data\":{\"type\":\"inquiry\",\"id\":\"inq_1\",\"attributes\":{\"status\":\"declined\",\"reference-id\":\"u1\"}}}"));
        // JSON:API spec shape: a list of payment resources.
        p.add(new Probe("jsonapi payments list", "GET", 200, "application/vnd.api+json", "{\"data\":[{\"type\":\"payments\",\"id\":\"1\",\"attributes\":{\"status\":\"declined\",\"amount\":100}}],\"meta\":{\"total\":1}}"));
        // Onfido API docs, Create check.
        p.add(new Probe("onfido check create", "POST", 201, JSON, "{\"id\":\"8546921-123123-123123\",\"created_at\":\"2019-10-09T16:52:42Z\",\"status\":\"in_progress\",\"result\":null,\"href\":\"/v3.6/checks/8546921\"}"));
        // Jumio docs, retrieval API: a rejected verification read.
        p.add(new Probe("jumio decision read", "GET", 200, JSON, "{\"account\":{\"id\":\"a1\"},\"workflow\":{\"id\":\"w1\",\"status\":\"PROCESSED\"},\"decision\":{\"type\":\"REJECTED\",\"details\":{\"label\":\"BAD_QUALITY\"}}}"));
        // OpenWeather docs, 5 day forecast: cod 200, message 0.
        p.add(new Probe("openweather forecast", "GET", 200, JSON, "{\"cod\":\"200\",\"message\":0,\"cnt\":1,\"list\":[{\"dt\":1661871600,\"main\":{\"temp\":296.76}}],\"city\":{\"id\":3163858,\"name\":\"Zocca\"}}"));
        // Telegram Bot API docs.
        p.add(new Probe("telegram sendMessage", "POST", 200, JSON, "{\"ok\":true,\"result\":{\"message_id\":1,\"chat\":{\"id\":1,\"type\":\"private\"},\"text\":\"error: build failed\"}}"));
        // HubSpot CRM docs, batch read.
        p.add(new Probe("hubspot batch read", "POST", 200, JSON, "{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"512\",\"properties\":{\"email\":\"a@b.c\"}}],\"numErrors\":0,\"errors\":[],\"startedAt\":\"2024-01-01T00:00:00Z\"}"));
        // Algolia docs, search an index (a query POST).
        p.add(new Probe("algolia search", "POST", 200, JSON, "{\"hits\":[],\"nbHits\":0,\"page\":0,\"query\":\"error declined\",\"processingTimeMS\":1}"));
        // Auth0 Management API docs, search log events: type f is a failed login.
        p.add(new Probe("auth0 logs", "GET", 200, JSON, "[{\"date\":\"2016-02-23T19:57:29.532Z\",\"type\":\"f\",\"description\":\"Wrong email or password.\",\"client_id\":\"AaiyAPdpYdesoKnqjj8HJqRn4T5titww\",\"ip\":\"190.257.209.19\",\"user_id\":\"auth0|56c75c4e42b6359e98374bc2\"}]"));
        // Okta Authentication API docs, primary authentication: MFA_REQUIRED.
        p.add(new Probe("okta authn mfa", "POST", 200, JSON, "{\"stateToken\":\"007ucIX7PATyn94hsHfOLVaXAmOBkKHWnOOLG43bsb\",\"expiresAt\":\"2015-11-03T10:15:57.000Z\",\"status\":\"MFA_REQUIRED\"}"));
        // Kubernetes docs, SubjectAccessReview: a denial is the review's answer.
        p.add(new Probe("k8s subject access review", "POST", 201, JSON, "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"status\":{\"allowed\":false,\"denied\":true,\"reason\":\"no RBAC policy matched\"}}"));
        // Open Policy Agent docs, data API: a deny is the policy's answer.
        p.add(new Probe("opa decision", "POST", 200, JSON, "{\"result\":{\"allow\":false,\"deny\":[\"not an admin\"]}}"));
        // Azure docs, Azure-AsyncOperation polling: a failed operation read.
        p.add(new Probe("azure async op", "GET", 200, JSON, "{\"id\":\"/subscriptions/x/operations/op1\",\"status\":\"Failed\",\"error\":{\"code\":\"ResourceDeploymentFailure\",\"message\":\"The resource operation completed with terminal provisioning state Failed.\"}}"));
        // Google AIP-151 long-running operations, Get.
        p.add(new Probe("google operation read", "GET", 200, JSON, "{\"name\":\"operations/123\",\"done\":true,\"error\":{\"code\":3,\"message\":\"Invalid argument\"}}"));
        // Consul HTTP API docs, List checks for node.
        p.add(new Probe("consul health checks", "GET", 200, JSON, "[{\"Node\":\"foobar\",\"CheckID\":\"serfHealth\",\"Name\":\"Serf Health Status\",\"Status\":\"critical\",\"Notes\":\"\",\"Output\":\"Agent not live or unreachable\",\"ServiceID\":\"\"}]"));
        // Nomad HTTP API docs, List allocations.
        p.add(new Probe("nomad allocations", "GET", 200, JSON, "[{\"ID\":\"ed344e0a-7290-d117-41d3-a64f853ca3c2\",\"JobID\":\"example\",\"ClientStatus\":\"failed\",\"DesiredStatus\":\"run\",\"TaskStates\":{\"redis\":{\"State\":\"dead\",\"Failed\":true}}}]"));
        // Amazon SQS API docs, SendMessageBatch (JSON protocol): Failed empty.
        p.add(new Probe("sqs batch ok", "POST", 200, "application/x-amz-json-1.0", "{\"Failed\":[],\"Successful\":[{\"Id\":\"m1\",\"MessageId\":\"0a5231c7-8bff-4955-be2e-8dc7c50a25fa\",\"MD5OfMessageBody\":\"x\"}]}"));
        // eBay Trading API docs: Ack Warning with an Errors note.
        p.add(new Probe("ebay ack warning", "POST", 200, XML, "<?xml version=\"1.0\" encoding=\"utf-8\"?><AddItemResponse xmlns=\"urn:ebay:apis:eBLBaseComponents\"><Ack>Warning</Ack><Errors><ShortMessage>Listing fee notice</ShortMessage><SeverityCode>Warning</SeverityCode></Errors><ItemID>110</ItemID></AddItemResponse>"));
        // Amazon S3 API docs, DeleteObjects: all deleted.
        p.add(new Probe("s3 delete objects ok", "POST", 200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Deleted><Key>sample1.txt</Key></Deleted><Deleted><Key>sample2.txt</Key></Deleted></DeleteResult>"));
        // a generic XML API answer: Status Success and an empty Errors element.
        p.add(new Probe("xml status success", "POST", 200, XML, "<Response><Status>Success</Status><Errors/><OrderId>42</OrderId></Response>"));
        // Generic shape (no single public doc): a SOAP-style answer whose ErrorCode is 0.
        p.add(new Probe("xml error code zero", "POST", 200, XML, "<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><SendResponse><ErrorCode>0</ErrorCode><ErrorMessage></ErrorMessage><MessageId>77</MessageId></SendResponse></soap:Body></soap:Envelope>"));
        // PayPal NVP API docs: ACK=Success.
        p.add(new Probe("paypal nvp success", "POST", 200, "application/x-www-form-urlencoded", "TIMESTAMP=2024%2d01%2d01T00%3a00%3a00Z&CORRELATIONID=abc&ACK=Success&VERSION=204&TOKEN=EC%2d1"));
        // Docker Engine API docs, image create: progress lines.
        p.add(new Probe("docker pull ndjson", "POST", 200, "application/x-ndjson", "{\"status\":\"Pulling from library/alpine\",\"id\":\"latest\"}\n{\"status\":\"Digest: sha256:abc\"}\n{\"status\":\"Status: Downloaded newer image for alpine:latest\"}\n"));
        // Generic shape (no single public doc): a plain-text gateway answer.
        p.add(new Probe("plain ok", "POST", 200, "text/plain", "OK: 614123:2942263"));
        // Apple verifyReceipt docs: status 0.
        p.add(new Probe("apple receipt ok", "POST", 200, JSON, "{\"status\":0,\"environment\":\"Production\",\"receipt\":{\"bundle_id\":\"com.example\",\"in_app\":[]}}"));
        // Braintree GraphQL docs, search transactions: a processor-declined one found.
        p.add(new Probe("braintree search", "POST", 200, JSON, "{\"data\":{\"search\":{\"transactions\":{\"edges\":[{\"node\":{\"id\":\"dHJhbnNhY3Rpb25fYWJj\",\"status\":\"PROCESSOR_DECLINED\",\"amount\":{\"value\":\"10.00\"}}}]}}}}"));
        // Zendesk Support API docs, List tickets.
        p.add(new Probe("zendesk tickets", "GET", 200, JSON, "{\"tickets\":[{\"id\":35436,\"subject\":\"Payment failed error\",\"status\":\"closed\",\"priority\":\"high\"}],\"count\":1,\"next_page\":null}"));
        // PagerDuty REST docs, List incidents.
        p.add(new Probe("pagerduty incidents", "GET", 200, JSON, "{\"incidents\":[{\"id\":\"PT4KHLK\",\"type\":\"incident\",\"summary\":\"[#1234] The server is on fire.\",\"status\":\"triggered\",\"urgency\":\"high\"}],\"limit\":25,\"more\":false}"));
        // Datadog API docs, Get a monitor.
        p.add(new Probe("datadog monitor", "GET", 200, JSON, "{\"id\":12345,\"name\":\"Error rate high\",\"overall_state\":\"Alert\",\"type\":\"metric alert\",\"query\":\"avg(last_5m):sum:errors{*} > 10\",\"message\":\"Errors are high @pagerduty\"}"));
        // Have I Been Pwned API docs, breaches for an account.
        p.add(new Probe("hibp breaches", "GET", 200, JSON, "[{\"Name\":\"Adobe\",\"Title\":\"Adobe\",\"Domain\":\"adobe.com\",\"IsVerified\":true,\"DataClasses\":[\"Email addresses\",\"Password hints\"]}]"));
        // Stripe API docs, Retrieve a refund: a failed refund read.
        p.add(new Probe("stripe refund read", "GET", 200, JSON, "{\"id\":\"re_1\",\"object\":\"refund\",\"amount\":100,\"charge\":\"ch_1\",\"status\":\"failed\",\"failure_reason\":\"expired_or_canceled_card\"}"));
        // Twilio docs, Read multiple Call resources.
        p.add(new Probe("twilio calls list", "GET", 200, JSON, "{\"calls\":[{\"sid\":\"CAaaaa\",\"status\":\"failed\",\"to\":\"+15558675310\",\"uri\":\"/2010-04-01/Accounts/AC1/Calls/CA1.json\"},{\"sid\":\"CAbbbb\",\"status\":\"busy\"}],\"page\":0}"));
        // Recurly v3 docs, Get a transaction: declined read back.
        p.add(new Probe("recurly transaction read", "GET", 200, JSON, "{\"id\":\"abcd\",\"object\":\"transaction\",\"type\":\"purchase\",\"status\":\"declined\",\"status_code\":\"insufficient_funds\",\"status_message\":\"The card has insufficient funds.\",\"amount\":10}"));
        // Square Payments API docs, GetPayment: a failed payment read.
        p.add(new Probe("square payment read", "GET", 200, JSON, "{\"payment\":{\"id\":\"R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY\",\"status\":\"FAILED\",\"amount_money\":{\"amount\":100,\"currency\":\"USD\"},\"card_details\":{\"status\":\"FAILED\",\"errors\":[{\"code\":\"CARD_DECLINED\",\"category\":\"PAYMENT_METHOD_ERROR\"}]}}}"));
        // Apache Solr reference guide, JSON response writer.
        p.add(new Probe("solr select", "GET", 200, JSON, "{\"responseHeader\":{\"status\":0,\"QTime\":1,\"params\":{\"q\":\"error\"}},\"response\":{\"numFound\":0,\"start\":0,\"docs\":[]}}"));
        // Foursquare v2 docs, meta code 200 envelope.
        p.add(new Probe("foursquare meta", "GET", 200, JSON, "{\"meta\":{\"code\":200,\"requestId\":\"5ac51d7e6a607143d811cecb\"},\"response\":{\"venues\":[]}}"));
        // Generic shape (no single public doc): a vendor envelope: status block with code 0 and a list of records.
        p.add(new Probe("status block ok data", "GET", 200, JSON, "{\"status\":{\"code\":0,\"message\":\"OK\"},\"data\":[{\"id\":1,\"state\":\"FAIL\",\"reason\":\"timeout\"}]}"));
        // Generic shape (no single public doc): a vendor envelope: code SUCCESS around a failed order read.
        p.add(new Probe("code success data failed order", "GET", 200, JSON, "{\"code\":\"SUCCESS\",\"msg\":\"ok\",\"data\":{\"order_no\":\"A1\",\"status\":\"FAILED\",\"fail_reason\":\"user cancelled\"}}"));
        // Generic shape (no single public doc): a result wrapper around a record read back.
        p.add(new Probe("result record rejected", "GET", 200, JSON, "{\"result\":{\"id\":\"x1\",\"status\":\"rejected\",\"reason\":\"duplicate\"}}"));
        // Generic shape (no single public doc): a header/body envelope with item states.
        p.add(new Probe("header body items", "GET", 200, JSON, "{\"header\":{\"code\":0,\"message\":\"success\"},\"body\":{\"items\":[{\"id\":\"i1\",\"status\":\"FAIL\"},{\"id\":\"i2\",\"status\":\"OK\"}]}}"));
        // GitLab REST docs, CI lint: a valid config.
        p.add(new Probe("gitlab lint valid", "POST", 200, JSON, "{\"valid\":true,\"errors\":[],\"warnings\":[],\"merged_yaml\":\"---\\ntest_job:\\n  script: echo 1\\n\"}"));
        // LanguageTool HTTP API docs, check: matches are the content.
        p.add(new Probe("languagetool check", "POST", 200, JSON, "{\"software\":{\"name\":\"LanguageTool\",\"version\":\"6.4\"},\"language\":{\"name\":\"English (US)\",\"code\":\"en-US\"},\"matches\":[{\"message\":\"Possible spelling mistake found.\",\"offset\":0,\"length\":4,\"rule\":{\"id\":\"MORFOLOGIK_RULE_EN_US\",\"issueType\":\"misspelling\"}}]}"));
        // Bing Spell Check docs: flagged tokens.
        p.add(new Probe("bing spell", "GET", 200, JSON, "{\"_type\":\"SpellCheck\",\"flaggedTokens\":[{\"offset\":0,\"token\":\"eror\",\"type\":\"UnknownToken\",\"suggestions\":[{\"suggestion\":\"error\",\"score\":0.9}]}]}"));
        // Google Cloud Translation v2 docs: a translation whose text is an error message.
        p.add(new Probe("translate error word", "POST", 200, JSON, "{\"data\":{\"translations\":[{\"translatedText\":\"Error: payment declined\",\"detectedSourceLanguage\":\"de\"}]}}"));
        // OpenAI API reference, chat completion whose content talks about failure.
        p.add(new Probe("chat completion", "POST", 200, JSON, "{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion\",\"created\":1677652288,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"The request failed with error 401: invalid token.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12,\"total_tokens\":21}}"));
        // Anthropic Messages API docs: stop_reason end_turn, text about errors.
        p.add(new Probe("anthropic message", "POST", 200, JSON, "{\"id\":\"msg_013Zva2CMHLNnXjNJJKqJ2EF\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Error: declined\"}],\"model\":\"claude\",\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}"));
        // GitHub REST docs, Create an issue: title mentions an error.
        p.add(new Probe("github create issue", "POST", 201, JSON, "{\"id\":1,\"number\":1347,\"state\":\"open\",\"title\":\"Error: request denied\",\"body\":\"status: failed\",\"user\":{\"login\":\"octocat\"}}"));
        // Jira Cloud REST docs, Create issue.
        p.add(new Probe("jira create issue", "POST", 201, JSON, "{\"id\":\"10000\",\"key\":\"ED-24\",\"self\":\"https://your-domain.atlassian.net/rest/api/3/issue/10000\",\"transition\":{\"status\":200,\"errorCollection\":{\"errorMessages\":[],\"errors\":{}}}}"));
        // Stripe API docs, Create a refund.
        p.add(new Probe("stripe refund create pending", "POST", 200, JSON, "{\"id\":\"re_1\",\"object\":\"refund\",\"amount\":100,\"charge\":\"ch_1\",\"status\":\"pending\",\"failure_reason\":null}"));
        // Stripe API docs, Create a customer whose metadata says failed.
        p.add(new Probe("stripe customer create", "POST", 200, JSON, "{\"id\":\"cus_1\",\"object\":\"customer\",\"email\":\"x@y.z\",\"metadata\":{\"status\":\"failed\",\"error\":\"none\"},\"delinquent\":false}"));
        // Twilio docs, Create a Message: body text mentions errors.
        p.add(new Probe("twilio message create failed-looking", "POST", 201, JSON, "{\"sid\":\"SM1\",\"status\":\"queued\",\"body\":\"Your payment failed. Error code 51.\",\"error_code\":null,\"error_message\":null}"));
        // SendGrid v3 docs, validate an email address: Invalid verdict.
        p.add(new Probe("sendgrid validate email", "POST", 200, JSON, "{\"result\":{\"email\":\"cedric@fogowl.com\",\"verdict\":\"Invalid\",\"score\":0.1,\"local\":\"cedric\",\"host\":\"fogowl.com\",\"checks\":{\"domain\":{\"has_valid_address_syntax\":true,\"has_mx_or_a_record\":false}}}}"));
        // Slack Web API docs, users.info: a deleted user.
        p.add(new Probe("slack users lookup", "GET", 200, JSON, "{\"ok\":true,\"user\":{\"id\":\"W012A3CDE\",\"deleted\":true,\"status_text\":\"error budget exceeded\",\"is_restricted\":false}}"));
        // Generic shape (no single public doc): GraphQL result union: a query field whose items include an error type record.
        p.add(new Probe("graphql union error typename read", "POST", 200, JSON, "{\"data\":{\"node\":{\"__typename\":\"Deployment\",\"id\":\"D1\",\"lastError\":{\"message\":\"build failed\"}}}}"));
        // Generic shape (no single public doc): GraphQL query selecting a field named errors on a record.
        p.add(new Probe("graphql nested errors field", "POST", 200, JSON, "{\"data\":{\"repository\":{\"checkRuns\":{\"nodes\":[{\"name\":\"lint\",\"conclusion\":\"FAILURE\",\"errors\":[{\"message\":\"x\"}]}]}}}}"));
        // Generic shape (no single public doc): Azure Cosmos/ARM style batch: all 2xx.
        p.add(new Probe("azure batch ok", "POST", 200, JSON, "{\"responses\":[{\"name\":\"1\",\"httpStatusCode\":200,\"content\":{\"id\":\"a\"}},{\"name\":\"2\",\"httpStatusCode\":201,\"content\":{\"id\":\"b\"}}]}"));
        // FCM legacy HTTP docs: success 1, failure 0.
        p.add(new Probe("firebase fcm legacy ok", "POST", 200, JSON, "{\"multicast_id\":108,\"success\":1,\"failure\":0,\"canonical_ids\":0,\"results\":[{\"message_id\":\"1:08\"}]}"));
        // Expo push docs: tickets all ok.
        p.add(new Probe("expo push ok", "POST", 200, JSON, "{\"data\":[{\"status\":\"ok\",\"id\":\"XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX\"}]}"));
        // Amazon SES v2 docs, SendEmail.
        p.add(new Probe("ses send ok", "POST", 200, JSON, "{\"MessageId\":\"EXAMPLE78603177f-7a5433e7-8edb-42ae-af10-f0181f34d6ee-000000\"}"));
        // AWS Lambda Invoke docs: a function payload that reports a business result.
        p.add(new Probe("lambda invoke ok", "POST", 200, JSON, "{\"statusCode\":200,\"body\":\"{\\\"message\\\":\\\"ok\\\"}\"}"));
        // Generic shape (no single public doc): a Lambda function result with a status field naming a finding.
        p.add(new Probe("lambda payload error key", "POST", 200, JSON, "{\"statusCode\":200,\"result\":\"no_match\",\"matches\":[]}"));
        // Generic shape (no single public doc): an identity check answering nomatch as its result.
        p.add(new Probe("nomatch result", "POST", 200, JSON, "{\"request_id\":\"r2\",\"result\":\"nomatch\",\"score\":12}"));
        // Google Address Validation API docs: an unconfirmed address is the verdict.
        p.add(new Probe("address validation", "POST", 200, JSON, "{\"result\":{\"verdict\":{\"inputGranularity\":\"PREMISE\",\"validationGranularity\":\"OTHER\",\"hasUnconfirmedComponents\":true},\"address\":{\"formattedAddress\":\"1 Nowhere St\"}},\"responseId\":\"de3d7bfc\"}"));
        // EU VIES-style REST check: valid false for a number.
        p.add(new Probe("vat check invalid", "GET", 200, JSON, "{\"countryCode\":\"DE\",\"vatNumber\":\"000000000\",\"requestDate\":\"2024-01-01\",\"valid\":false,\"name\":\"---\",\"address\":\"---\"}"));
        // IBAN validation API: invalid IBAN as the check answer.
        p.add(new Probe("iban validate", "GET", 200, JSON, "{\"valid\":false,\"messages\":[\"Invalid checksum\"],\"iban\":\"DE89370400440532013001\",\"bankData\":{}}"));
        // Cloudflare Turnstile siteverify docs: success true.
        p.add(new Probe("captcha verdict", "POST", 200, JSON, "{\"success\":true,\"challenge_ts\":\"2022-02-28T15:14:30.096Z\",\"hostname\":\"example.com\",\"error-codes\":[],\"action\":\"login\"}"));
        // an SMS API delivery report list.
        p.add(new Probe("sms status callback list", "GET", 200, JSON, "{\"reports\":[{\"message_id\":\"m1\",\"status\":\"UNDELIVERED\",\"error\":{\"code\":5,\"description\":\"absent subscriber\"}}],\"count\":1}"));
        // PayPal webhooks docs, list event notifications.
        p.add(new Probe("paypal webhook events", "GET", 200, JSON, "{\"events\":[{\"id\":\"WH-1\",\"event_type\":\"PAYMENT.CAPTURE.DENIED\",\"summary\":\"Payment denied\",\"resource\":{\"id\":\"c1\",\"status\":\"DECLINED\"}}],\"count\":1}"));
        // Shopify Admin REST docs, transactions: a failed sale read.
        p.add(new Probe("shopify transactions read", "GET", 200, JSON, "{\"transactions\":[{\"id\":389404469,\"kind\":\"sale\",\"status\":\"failure\",\"error_code\":\"card_declined\",\"amount\":\"10.00\",\"message\":\"Card declined\"}]}"));
        // Adyen webhooks docs: the ack a merchant server returns.
        p.add(new Probe("adyen notification ack", "POST", 200, JSON, "{\"notificationResponse\":\"[accepted]\"}"));
        // WooCommerce REST docs, retrieve an order: status failed.
        p.add(new Probe("woocommerce order", "GET", 200, JSON, "{\"id\":727,\"status\":\"failed\",\"currency\":\"USD\",\"total\":\"29.35\",\"payment_method\":\"bacs\",\"transaction_id\":\"\"}"));
        // Generic shape (no single public doc): Atom feed of a status page.
        p.add(new Probe("xml rss error titles", "GET", 200, "application/atom+xml", "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Incidents</title><entry><title>Elevated error rates</title><content>Errors: resolved. Status: failed over.</content></entry></feed>"));
        // Generic shape (no single public doc): an XML read of a job record with an error element.
        p.add(new Probe("xml record with error element", "GET", 200, "application/xml", "<?xml version=\"1.0\"?><job><id>42</id><status>failed</status><error>disk full</error></job>"));
        // GitHub REST docs, Create a commit status: a CI reports a failed build.
        p.add(new Probe("github create commit status", "POST", 201, JSON, "{\"url\":\"https://api.github.com/repos/o/r/statuses/6dcb09b\",\"id\":1,\"state\":\"failure\",\"description\":\"Build has failed\",\"target_url\":\"https://ci.example.com/1000/output\",\"context\":\"continuous-integration/jenkins\",\"creator\":{\"login\":\"octocat\"}}"));
        // GitHub REST docs, Create a check run completed with conclusion failure.
        p.add(new Probe("github create check run", "POST", 201, JSON, "{\"id\":4,\"head_sha\":\"ce587453ced02b1526dfb4cb910479d431683101\",\"status\":\"completed\",\"conclusion\":\"failure\",\"name\":\"mighty_readme\",\"output\":{\"title\":\"Mighty Readme report\",\"summary\":\"1 error found\"}}"));
        // GitHub REST docs, Update a check run.
        p.add(new Probe("github update check run", "PATCH", 200, JSON, "{\"id\":4,\"status\":\"completed\",\"conclusion\":\"action_required\",\"name\":\"lint\",\"output\":{\"title\":\"Lint errors\",\"summary\":\"There are 3 errors\"}}"));
        // GitLab REST docs, Set the pipeline status of a commit.
        p.add(new Probe("gitlab commit status", "POST", 201, JSON, "{\"id\":93,\"sha\":\"18f3e63d05582537db6d183d9d557be09e1f90c8\",\"ref\":\"\",\"status\":\"failed\",\"name\":\"default\",\"description\":\"the build failed\",\"target_url\":\"https://gitlab.example.com/thedude/gitlab-foss/builds/91\"}"));
        // GitLab REST docs, Create a new pipeline.
        p.add(new Probe("gitlab create pipeline", "POST", 201, JSON, "{\"id\":61,\"sha\":\"384c444e840a515b23f21915ee5766b87068a70d\",\"ref\":\"main\",\"status\":\"pending\",\"web_url\":\"https://example.com/foo/bar/pipelines/61\"}"));
        // PagerDuty REST docs, Create an Incident.
        p.add(new Probe("pagerduty create incident", "POST", 201, JSON, "{\"incident\":{\"id\":\"PT4KHLK\",\"type\":\"incident\",\"summary\":\"[#1234] The server is on fire.\",\"status\":\"triggered\",\"title\":\"Error rate high\",\"urgency\":\"high\"}}"));
        // PagerDuty Events API v2 docs: an error-severity event accepted.
        p.add(new Probe("pagerduty events v2", "POST", 202, JSON, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"srv01/HTTP\"}"));
        // Atlassian Statuspage API docs, Create an incident.
        p.add(new Probe("statuspage create incident", "POST", 201, JSON, "{\"id\":\"p31zjtct2jer\",\"name\":\"Errors on checkout\",\"status\":\"investigating\",\"impact\":\"critical\",\"shortlink\":\"http://stspg.io/xxx\"}"));
        // Sentry docs, event ingestion answer.
        p.add(new Probe("sentry store", "POST", 200, JSON, "{\"id\":\"fc6d8c0c43fc4630ad850ee518f1b9d0\"}"));
        // Rollbar API docs, Create an item: err 0.
        p.add(new Probe("rollbar item", "POST", 200, JSON, "{\"err\":0,\"result\":{\"id\":null,\"uuid\":\"d4c7acef55bf4c9ea95e4fe9428a8287\"}}"));
        // Datadog logs intake docs: an empty object accepted.
        p.add(new Probe("datadog logs intake", "POST", 202, JSON, "{}"));
        // Datadog API docs, Post an event with alert_type error.
        p.add(new Probe("datadog event create", "POST", 202, JSON, "{\"status\":\"ok\",\"event\":{\"id\":1377281704830403917,\"title\":\"Deploy failed\",\"text\":\"error in step 3\",\"alert_type\":\"error\",\"priority\":\"normal\"}}"));
        // Linear GraphQL API docs, issueCreate.
        p.add(new Probe("linear issue create", "POST", 200, JSON, "{\"data\":{\"issueCreate\":{\"success\":true,\"issue\":{\"id\":\"9cfb482a-81e3-4154-b5b9-2c805e70a02d\",\"title\":\"Error on login\"}}}}"));
        // LaunchDarkly API docs, update a flag named errors_enabled.
        p.add(new Probe("launchdarkly flag patch", "PATCH", 200, JSON, "{\"key\":\"errors_enabled\",\"name\":\"Errors enabled\",\"kind\":\"boolean\",\"variations\":[{\"value\":true},{\"value\":false}],\"archived\":false}"));
        // Unleash API docs, a feature toggle named fail-fast.
        p.add(new Probe("unleash toggle", "POST", 200, JSON, "{\"name\":\"fail-fast\",\"enabled\":false,\"strategies\":[{\"name\":\"default\"}],\"stale\":false}"));
        // PayPal Payouts API docs, create batch payout.
        p.add(new Probe("paypal payouts create", "POST", 201, JSON, "{\"batch_header\":{\"sender_batch_header\":{\"sender_batch_id\":\"Payouts_1\",\"email_subject\":\"You have a payout!\"},\"payout_batch_id\":\"5UXD2E8A7EBQJ\",\"batch_status\":\"PENDING\"}}"));
        // Stripe API docs, Create a charge that succeeded.
        p.add(new Probe("stripe charge create ok", "POST", 200, JSON, "{\"id\":\"ch_1\",\"object\":\"charge\",\"amount\":2000,\"captured\":true,\"failure_code\":null,\"failure_message\":null,\"outcome\":{\"network_status\":\"approved_by_network\",\"risk_level\":\"normal\",\"seller_message\":\"Payment complete.\",\"type\":\"authorized\"},\"paid\":true,\"status\":\"succeeded\"}"));
        // Stripe API docs, Update a dispute.
        p.add(new Probe("stripe dispute evidence", "POST", 200, JSON, "{\"id\":\"dp_1\",\"object\":\"dispute\",\"amount\":1000,\"charge\":\"ch_1\",\"reason\":\"fraudulent\",\"status\":\"under_review\",\"evidence\":{\"customer_name\":\"Jane\"}}"));
        // Stripe API docs, Confirm a SetupIntent needing action.
        p.add(new Probe("stripe setup intent", "POST", 200, JSON, "{\"id\":\"seti_1\",\"object\":\"setup_intent\",\"status\":\"requires_action\",\"last_setup_error\":null,\"next_action\":{\"type\":\"redirect_to_url\"}}"));
        // Braintree GraphQL docs, chargePaymentMethod: SUBMITTED_FOR_SETTLEMENT.
        p.add(new Probe("braintree graphql charge ok", "POST", 200, JSON, "{\"data\":{\"chargePaymentMethod\":{\"transaction\":{\"id\":\"dHJhbnNhY3Rpb25fYWJj\",\"status\":\"SUBMITTED_FOR_SETTLEMENT\"}}},\"extensions\":{\"requestId\":\"abc\"}}"));
        // Square Payments API docs, CreatePayment: COMPLETED.
        p.add(new Probe("square create payment ok", "POST", 200, JSON, "{\"payment\":{\"id\":\"R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY\",\"status\":\"COMPLETED\",\"amount_money\":{\"amount\":100,\"currency\":\"USD\"},\"card_details\":{\"status\":\"CAPTURED\",\"cvv_status\":\"CVV_ACCEPTED\",\"avs_status\":\"AVS_ACCEPTED\"}}}"));
        // Adyen Checkout docs, /payments: Authorised.
        p.add(new Probe("adyen payment authorised", "POST", 200, JSON, "{\"pspReference\":\"993617895204576J\",\"resultCode\":\"Authorised\",\"merchantReference\":\"string\",\"amount\":{\"currency\":\"EUR\",\"value\":1000}}"));
        // Mollie docs, Create payment: open.
        p.add(new Probe("mollie create payment open", "POST", 201, JSON, "{\"resource\":\"payment\",\"id\":\"tr_7UhSN1zuXS\",\"mode\":\"test\",\"status\":\"open\",\"amount\":{\"value\":\"10.00\",\"currency\":\"EUR\"},\"_links\":{\"checkout\":{\"href\":\"https://www.mollie.com/checkout/select-method/7UhSN1zuXS\"}}}"));
        // Razorpay docs, Create an order: status created.
        p.add(new Probe("razorpay order create", "POST", 200, JSON, "{\"id\":\"order_IluGWxBm9U8zJ8\",\"entity\":\"order\",\"amount\":5000,\"amount_paid\":0,\"amount_due\":5000,\"currency\":\"INR\",\"status\":\"created\",\"attempts\":0}"));
        // Twilio Verify docs, verification check approved.
        p.add(new Probe("twilio verify approved", "POST", 200, JSON, "{\"sid\":\"VEaaaa\",\"status\":\"approved\",\"valid\":true,\"to\":\"+15017122661\",\"channel\":\"sms\"}"));
        // SendGrid v3 docs, add or update contacts: a job id.
        p.add(new Probe("sendgrid marketing contacts", "PUT", 202, JSON, "{\"job_id\":\"2387e363-4104-4225-8960-4a5758492351\"}"));
        // Mailchimp Marketing API docs, add or update list member: status cleaned.
        p.add(new Probe("mailchimp member upsert", "PUT", 200, JSON, "{\"id\":\"852aaa9532cb36adfb5e9fef7a4206a9\",\"email_address\":\"urist.mcvankab@freddiesjokes.com\",\"status\":\"cleaned\",\"list_id\":\"57afe96172\"}"));
        // HubSpot CRM docs, batch create: COMPLETE.
        p.add(new Probe("hubspot batch create ok", "POST", 201, JSON, "{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"512\",\"properties\":{\"email\":\"a@b.c\"}}],\"startedAt\":\"2024-01-01T00:00:00Z\",\"completedAt\":\"2024-01-01T00:00:01Z\"}"));
        // Elasticsearch docs, index API: a log document with level error.
        p.add(new Probe("es index doc", "PUT", 201, JSON, "{\"_index\":\"logs\",\"_id\":\"1\",\"_version\":1,\"result\":\"created\",\"_shards\":{\"total\":2,\"successful\":1,\"failed\":0},\"_seq_no\":0,\"_primary_term\":1}"));
        // Elasticsearch docs, update by query: failures empty.
        p.add(new Probe("es update by query ok", "POST", 200, JSON, "{\"took\":147,\"timed_out\":false,\"total\":120,\"updated\":120,\"deleted\":0,\"batches\":1,\"version_conflicts\":0,\"noops\":0,\"retries\":{\"bulk\":0,\"search\":0},\"failures\":[]}"));
        // BigQuery docs, tabledata.insertAll without insertErrors.
        p.add(new Probe("bigquery insertAll ok", "POST", 200, JSON, "{\"kind\":\"bigquery#tableDataInsertAllResponse\"}"));
        // Kubernetes API docs, create a Job.
        p.add(new Probe("k8s create job", "POST", 201, JSON, "{\"kind\":\"Job\",\"apiVersion\":\"batch/v1\",\"metadata\":{\"name\":\"pi\",\"uid\":\"a1\"},\"spec\":{\"backoffLimit\":4},\"status\":{}}"));
        // Kubernetes API docs, patch a Deployment whose condition reports a failed rollout.
        p.add(new Probe("k8s patch deployment", "PATCH", 200, JSON, "{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"web\"},\"status\":{\"conditions\":[{\"type\":\"Progressing\",\"status\":\"False\",\"reason\":\"ProgressDeadlineExceeded\",\"message\":\"ReplicaSet has timed out progressing.\"}]}}"));
        // Argo Workflows API docs, submit a workflow.
        p.add(new Probe("argo submit", "POST", 200, JSON, "{\"metadata\":{\"name\":\"hello-world-abc\",\"namespace\":\"argo\"},\"status\":{\"phase\":\"Pending\",\"startedAt\":null}}"));
        // Airflow REST API docs, trigger a DAG run.
        p.add(new Probe("airflow trigger dag", "POST", 200, JSON, "{\"dag_run_id\":\"manual__2024\",\"dag_id\":\"etl\",\"state\":\"queued\",\"conf\":{\"on_failure\":\"retry\"}}"));
        // Generic shape (no single public doc): a CI queue answer with failure notification settings.
        p.add(new Probe("jenkins queue", "POST", 201, JSON, "{\"id\":5,\"queued\":true,\"notify\":{\"on_failure\":true,\"on_error\":\"email\"}}"));
        // Cloudflare API docs, purge cache: success true.
        p.add(new Probe("cloudflare purge", "POST", 200, JSON, "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"id\":\"023e105f4ecef8ad9ca31a8372d0c353\"}}"));
        // DigitalOcean API docs, droplet action in progress.
        p.add(new Probe("digitalocean action", "POST", 201, JSON, "{\"action\":{\"id\":36804745,\"status\":\"in-progress\",\"type\":\"power_off\",\"resource_type\":\"droplet\"}}"));
        // Vercel REST docs, create deployment: BUILDING.
        p.add(new Probe("vercel deploy create", "POST", 200, JSON, "{\"id\":\"dpl_2qn7PZrx89yxY34vEZPD31Y9XVj6\",\"url\":\"my-app.vercel.app\",\"readyState\":\"BUILDING\",\"errorMessage\":null}"));
        // Netlify API docs, create deploy: error_message null.
        p.add(new Probe("netlify deploy", "POST", 200, JSON, "{\"id\":\"5f\",\"site_id\":\"s1\",\"state\":\"uploading\",\"error_message\":null,\"required\":[\"907d14fd\"]}"));
        // Docker Engine API docs, create a container with warnings.
        p.add(new Probe("docker create container", "POST", 201, JSON, "{\"Id\":\"e90e34656806\",\"Warnings\":[\"Your kernel does not support memory limit capabilities\"]}"));
        // OpenAI API reference, upload a file named errors.jsonl.
        p.add(new Probe("openai file upload", "POST", 200, JSON, "{\"id\":\"file-abc123\",\"object\":\"file\",\"bytes\":120000,\"created_at\":1677610602,\"filename\":\"errors.jsonl\",\"purpose\":\"fine-tune\",\"status\":\"uploaded\"}"));
        // Google Sheets API docs, append values whose cells say ERROR.
        p.add(new Probe("google sheets append", "POST", 200, JSON, "{\"spreadsheetId\":\"1BxiM\",\"tableRange\":\"Sheet1!A1:D5\",\"updates\":{\"updatedRange\":\"Sheet1!A6:D6\",\"updatedRows\":1,\"updatedCells\":4}}"));
        // Airtable Web API docs, create records whose fields say Failed.
        p.add(new Probe("airtable create", "POST", 200, JSON, "{\"records\":[{\"id\":\"rec560UJdUtocSouk\",\"createdTime\":\"2022-09-12T21:03:48.000Z\",\"fields\":{\"Status\":\"Failed\",\"Error\":\"Timeout in step 2\"}}]}"));
        // Notion API docs, create a page whose status property is Failed.
        p.add(new Probe("notion page create", "POST", 200, JSON, "{\"object\":\"page\",\"id\":\"59833787-2cf9-4fdf-8782-e53db20768a5\",\"properties\":{\"Status\":{\"status\":{\"name\":\"Failed\"}},\"Error\":{\"rich_text\":[{\"plain_text\":\"disk full\"}]}}}"));
        // Segment HTTP Tracking API docs: success true.
        p.add(new Probe("segment track", "POST", 200, JSON, "{\"success\":true}"));
        // Mixpanel ingestion docs: events named error accepted.
        p.add(new Probe("mixpanel import", "POST", 200, JSON, "{\"code\":200,\"num_records_imported\":2,\"status\":\"OK\"}"));
        // Zapier webhooks docs: success status.
        p.add(new Probe("zapier hook", "POST", 200, JSON, "{\"attempt\":\"5f3\",\"id\":\"5f3\",\"request_id\":\"5f3\",\"status\":\"success\"}"));
        // Twilio Studio docs, create an execution.
        p.add(new Probe("twilio studio execution", "POST", 201, JSON, "{\"sid\":\"FNaaaa\",\"status\":\"active\",\"context\":{\"flow\":{\"variables\":{\"last_error\":\"none\"}}}}"));
        // WeChat Official Accounts docs: errcode 0, errmsg ok.
        p.add(new Probe("wechat errcode ok", "GET", 200, JSON, "{\"errcode\":0,\"errmsg\":\"ok\",\"openid\":\"OPENID\"}"));
        // AMap Web Service docs: status 1, infocode 10000.
        p.add(new Probe("amap geocode ok", "GET", 200, JSON, "{\"status\":\"1\",\"info\":\"OK\",\"infocode\":\"10000\",\"count\":\"1\",\"geocodes\":[{\"formatted_address\":\"北京市朝阳区阜通东大街6号\"}]}"));
        // Baidu Maps Web API docs: status 0.
        p.add(new Probe("baidu map ok", "GET", 200, JSON, "{\"status\":0,\"result\":{\"location\":{\"lng\":116.3,\"lat\":40.0},\"precise\":1,\"confidence\":80,\"level\":\"门址\"}}"));
        // Alipay open platform docs, alipay.trade.query: a closed trade is the answer.
        p.add(new Probe("alipay query closed", "POST", 200, JSON, "{\"alipay_trade_query_response\":{\"code\":\"10000\",\"msg\":\"Success\",\"trade_no\":\"2013112011001004330000121536\",\"out_trade_no\":\"6823789339978248\",\"trade_status\":\"TRADE_CLOSED\",\"total_amount\":\"88.88\"},\"sign\":\"ERITJKEIJKJHKKKKKKKHJEREEEEEEEEEEE\"}"));
        // Tencent Cloud API 3.0 docs: Response with RequestId.
        p.add(new Probe("tencent cloud ok", "POST", 200, JSON, "{\"Response\":{\"TotalCount\":0,\"InstanceSet\":[],\"RequestId\":\"b5b41468-520d-4192-b42f-595cc34b6c1c\"}}"));
        // Alibaba Cloud OpenAPI: RequestId only.
        p.add(new Probe("aliyun ok", "POST", 200, JSON, "{\"RequestId\":\"6EF60BEC-0242-43AF-BB20-270359FB54A7\",\"Instances\":{\"Instance\":[]},\"TotalCount\":0}"));
        // Korean public data portal (data.go.kr) docs: resultCode 00 NORMAL SERVICE.
        p.add(new Probe("korea data portal", "GET", 200, JSON, "{\"response\":{\"header\":{\"resultCode\":\"00\",\"resultMsg\":\"NORMAL SERVICE.\"},\"body\":{\"items\":{\"item\":[{\"stationName\":\"종로구\"}]},\"numOfRows\":10,\"pageNo\":1,\"totalCount\":1}}}"));
        // Kakao Message API docs: result_code 0.
        p.add(new Probe("kakao ok", "POST", 200, JSON, "{\"result_code\":0}"));
        // LINE Notify docs: status 200.
        p.add(new Probe("line notify ok", "POST", 200, JSON, "{\"status\":200,\"message\":\"ok\"}"));
        // VK API docs: response array.
        p.add(new Probe("vk response", "GET", 200, JSON, "{\"response\":[{\"id\":1,\"first_name\":\"Pavel\",\"last_name\":\"Durov\",\"deactivated\":\"banned\"}]}"));
        // Flickr API docs, JSON format: stat ok.
        p.add(new Probe("flickr stat ok", "GET", 200, JSON, "{\"photos\":{\"page\":1,\"pages\":1,\"perpage\":100,\"total\":0,\"photo\":[]},\"stat\":\"ok\"}"));
        // Tumblr API docs: meta status 200.
        p.add(new Probe("tumblr meta", "GET", 200, JSON, "{\"meta\":{\"status\":200,\"msg\":\"OK\"},\"response\":{\"blog\":{\"title\":\"Errors and failures\",\"posts\":12}}}"));
        // Stack Exchange API docs: common wrapper.
        p.add(new Probe("stackexchange", "GET", 200, JSON, "{\"items\":[{\"question_id\":11227809,\"title\":\"Why is processing a sorted array faster? Error in benchmark\",\"is_answered\":true}],\"has_more\":false,\"quota_max\":300,\"quota_remaining\":299}"));
        // Zulip REST docs: result success.
        p.add(new Probe("zulip ok", "POST", 200, JSON, "{\"result\":\"success\",\"msg\":\"\",\"id\":42}"));
        // Reddit API: json wrapper with empty errors.
        p.add(new Probe("reddit json ok", "POST", 200, JSON, "{\"json\":{\"errors\":[],\"data\":{\"url\":\"https://www.reddit.com/r/test/comments/abc/\",\"id\":\"abc\",\"name\":\"t3_abc\"}}}"));
        // Generic shape (no single public doc): a common admin-template envelope: code 20000 with message success.
        p.add(new Probe("vue admin 20000", "GET", 200, JSON, "{\"code\":20000,\"message\":\"success\",\"data\":{\"items\":[],\"total\":0}}"));
        // Generic shape (no single public doc): a common Chinese envelope: code 1 with 操作成功.
        p.add(new Probe("code 1 operation ok", "POST", 200, JSON, "{\"code\":1,\"msg\":\"操作成功\",\"data\":{\"id\":7}}"));
        // Generic shape (no single public doc): a vendor envelope: code 0000 with 成功.
        p.add(new Probe("code 0000 success", "POST", 200, JSON, "{\"code\":\"0000\",\"message\":\"成功\",\"data\":{\"orderId\":\"A1\"}}"));
        // Generic shape (no single public doc): a vendor envelope: returnCode SUCCESS.
        p.add(new Probe("returnCode SUCCESS", "POST", 200, JSON, "{\"returnCode\":\"SUCCESS\",\"returnMsg\":\"OK\",\"data\":{\"tradeNo\":\"T1\",\"tradeState\":\"NOTPAY\"}}"));
        // Generic shape (no single public doc): a vendor envelope: rsp_code 000000.
        p.add(new Probe("rsp_code 000000", "POST", 200, JSON, "{\"rsp_code\":\"000000\",\"rsp_msg\":\"success\",\"data\":{}}"));
        // Baidu Netdisk open platform docs: errno 0.
        p.add(new Probe("errno 0", "GET", 200, JSON, "{\"errno\":0,\"guid_info\":\"\",\"list\":[],\"request_id\":8834}"));
        // Generic shape (no single public doc): an SMS gateway envelope: a queued send.
        p.add(new Probe("code queued", "POST", 200, JSON, "{\"code\":2,\"message\":\"Queued for delivery\",\"message_id\":\"m1\"}"));
        // Generic shape (no single public doc): a gateway answering a request being processed.
        p.add(new Probe("status processing", "POST", 200, JSON, "{\"status\":2,\"message\":\"Your request is being processed\",\"request_id\":\"r1\"}"));
        // Aliyun SMS docs, SendSms: Code OK.
        p.add(new Probe("code OK", "POST", 200, JSON, "{\"Message\":\"OK\",\"RequestId\":\"F655A8D5-B967-440B-8683-DAD6FF8DE990\",\"Code\":\"OK\",\"BizId\":\"900619746936498440^0\"}"));
        // Huawei Push Kit docs: code 80000000 success.
        p.add(new Probe("huawei ok", "POST", 200, JSON, "{\"code\":\"80000000\",\"msg\":\"Success\",\"requestId\":\"157440955549297\"}"));
        // JD open platform docs: a *_responce wrapper with code 0.
        p.add(new Probe("jd ok", "POST", 200, JSON, "{\"jingdong_order_get_responce\":{\"code\":\"0\",\"order_info\":{\"order_state\":\"TRADE_CANCELED\"}}}"));
        // Taobao TOP docs: a *_response wrapper.
        p.add(new Probe("taobao ok", "POST", 200, JSON, "{\"trade_fullinfo_get_response\":{\"trade\":{\"tid\":2231958349,\"status\":\"TRADE_CLOSED_BY_TAOBAO\"},\"request_id\":\"abc\"}}"));
        // Yandex Geocoder docs: found 0.
        p.add(new Probe("yandex geocoder", "GET", 200, JSON, "{\"response\":{\"GeoObjectCollection\":{\"metaDataProperty\":{\"GeocoderResponseMetaData\":{\"request\":\"xx\",\"found\":\"0\",\"results\":\"10\"}},\"featureMember\":[]}}}"));
        // Discord API docs, create message whose content says error.
        p.add(new Probe("discord message", "POST", 200, JSON, "{\"id\":\"334385199974967042\",\"type\":0,\"content\":\"Error: build failed\",\"channel_id\":\"290926798999357250\",\"author\":{\"id\":\"53908099506183680\",\"username\":\"bot\"},\"flags\":0}"));
        // Mattermost API docs, create post.
        p.add(new Probe("mattermost post", "POST", 201, JSON, "{\"id\":\"p1\",\"create_at\":1,\"user_id\":\"u1\",\"channel_id\":\"c1\",\"message\":\"deploy failed with error 500\",\"type\":\"\"}"));
        // Generic shape (no single public doc): an SMS gateway answer: id and count.
        p.add(new Probe("smsc ok", "GET", 200, JSON, "{\"id\":204,\"cnt\":1}"));
        // Generic shape (no single public doc): a vendor code 100 meaning success with a message.
        p.add(new Probe("code 100 continue-ish", "POST", 200, JSON, "{\"code\":100,\"message\":\"Message sent successfully\",\"data\":{\"id\":\"x\"}}"));
        // Generic shape (no single public doc): a vendor result flag true with a code.
        p.add(new Probe("result true", "POST", 200, JSON, "{\"result\":true,\"code\":\"SUCCESS\",\"data\":{\"balance\":10}}"));
        // PayU REST docs, order create: statusCode SUCCESS.
        p.add(new Probe("payu ok", "POST", 200, JSON, "{\"status\":{\"statusCode\":\"SUCCESS\"},\"redirectUri\":\"https://merch-prod.snd.payu.com/pay/?orderId=ORDER\",\"orderId\":\"WZHF5FFDRJ140731GUEST000P01\",\"extOrderId\":\"x\"}"));
        // Mercado Pago docs, create payment: in_process.
        p.add(new Probe("mercadopago pending", "POST", 201, JSON, "{\"id\":1234,\"status\":\"in_process\",\"status_detail\":\"pending_contingency\",\"transaction_amount\":100}"));
        // iyzico docs: status success.
        p.add(new Probe("iyzico ok", "POST", 200, JSON, "{\"status\":\"success\",\"locale\":\"tr\",\"systemTime\":1458545234852,\"conversationId\":\"123456\",\"paymentId\":\"1\",\"fraudStatus\":1}"));
        // Paystack docs, verify transaction: status true with a failed gateway response read.
        p.add(new Probe("paystack verify ok", "GET", 200, JSON, "{\"status\":true,\"message\":\"Verification successful\",\"data\":{\"id\":4099260516,\"status\":\"failed\",\"gateway_response\":\"Declined\",\"amount\":40333}}"));
        // Flutterwave docs, verify transaction: a failed one read.
        p.add(new Probe("flutterwave verify", "GET", 200, JSON, "{\"status\":\"success\",\"message\":\"Transaction fetched successfully\",\"data\":{\"id\":1163068,\"tx_ref\":\"akhlm-pstmn-blkchrge-xx6\",\"status\":\"failed\",\"processor_response\":\"Declined\",\"amount\":3000}}"));
        // Generic shape (no single public doc): a SOAP answer whose Errors list is empty.
        p.add(new Probe("soap empty errors", "POST", 200, XML, "<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><SubmitResponse><Errors></Errors><ErrorList/><Id>5</Id></SubmitResponse></soap:Body></soap:Envelope>"));
        // Generic shape (no single public doc): a SOAP answer with ResultCode 0 and a message.
        p.add(new Probe("soap result code zero", "POST", 200, XML, "<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><SendResponse><ResultCode>0</ResultCode><ResultMessage>Success</ResultMessage></SendResponse></soap:Body></soap:Envelope>"));
        // Generic shape (no single public doc): a generic XML answer.
        p.add(new Probe("xml status ok empty errors", "POST", 200, "application/xml", "<response><status>ok</status><errors></errors><id>9</id></response>"));
        // Flickr REST docs: rsp stat ok.
        p.add(new Probe("flickr rsp ok", "GET", 200, XML, "<?xml version=\"1.0\" encoding=\"utf-8\" ?><rsp stat=\"ok\"><photos page=\"1\" pages=\"0\" perpage=\"100\" total=\"0\"></photos></rsp>"));
        // Amazon SQS query API docs, SendMessage.
        p.add(new Probe("sqs xml send", "POST", 200, XML, "<SendMessageResponse><SendMessageResult><MD5OfMessageBody>fafb00f5732ab283681e124bf8747ed1</MD5OfMessageBody><MessageId>5fea7756-0ea4-451a-a703-a558b933e274</MessageId></SendMessageResult><ResponseMetadata><RequestId>27daac76-34dd-47df-bd01-1f6e873584a0</RequestId></ResponseMetadata></SendMessageResponse>"));
        // Amazon EC2 query API docs, DescribeInstances: a terminated instance with its state reason.
        p.add(new Probe("ec2 describe terminated", "GET", 200, XML, "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>8f7724cf-496f-496e-8fe3-example</requestId><reservationSet><item><instancesSet><item><instanceId>i-1234567890abcdef0</instanceId><instanceState><code>48</code><name>terminated</name></instanceState><stateReason><code>Server.InternalError</code><message>Server.InternalError: Internal error on launch</message></stateReason></item></instancesSet></item></reservationSet></DescribeInstancesResponse>"));
        // Namecheap API docs: Status OK with empty Errors.
        p.add(new Probe("namecheap ok", "GET", 200, XML, "<?xml version=\"1.0\" encoding=\"utf-8\"?><ApiResponse Status=\"OK\" xmlns=\"http://api.namecheap.com/xml.response\"><Errors /><Warnings /><RequestedCommand>namecheap.domains.check</RequestedCommand><CommandResponse Type=\"namecheap.domains.check\"><DomainCheckResult Domain=\"google.com\" Available=\"false\" /></CommandResponse></ApiResponse>"));
        // CyberSource SOAP toolkit docs: decision ACCEPT.
        p.add(new Probe("cybersource accept", "POST", 200, XML, "<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><c:replyMessage xmlns:c=\"urn:schemas-cybersource-com:transaction-data-1.0\"><c:merchantReferenceCode>x</c:merchantReferenceCode><c:decision>ACCEPT</c:decision><c:reasonCode>100</c:reasonCode></c:replyMessage></soap:Body></soap:Envelope>"));
        // XML-RPC spec: a methodResponse with params.
        p.add(new Probe("xmlrpc ok", "POST", 200, XML, "<?xml version=\"1.0\"?><methodResponse><params><param><value><string>error.log rotated</string></value></param></params></methodResponse>"));
        // RFC 4918: a multistatus whose members are 200.
        p.add(new Probe("webdav all ok", "PROPFIND", 207, "application/xml", "<?xml version=\"1.0\" encoding=\"utf-8\" ?><D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/container/</D:href><D:propstat><D:prop><D:displayname>errors</D:displayname></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>"));
        // sitemaps.org protocol.
        p.add(new Probe("sitemap", "GET", 200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>https://example.com/errors/404</loc></url></urlset>"));
        // a CI server XML API: job list with a failed build.
        p.add(new Probe("xml job list read", "GET", 200, "application/xml", "<jobs><job><name>nightly</name><status>failed</status><error>exit 1</error></job><job><name>hourly</name><status>ok</status></job></jobs>"));
        // NMI Direct Post API docs: response 1 approved.
        p.add(new Probe("form nmi approved", "POST", 200, "application/x-www-form-urlencoded", "response=1&responsetext=SUCCESS&authcode=123456&transactionid=281719471&avsresponse=&cvvresponse=M&orderid=&type=sale&response_code=100"));
        // PayPal Payflow docs: RESULT 0 Approved.
        p.add(new Probe("form payflow approved", "POST", 200, "application/x-www-form-urlencoded", "RESULT=0&PNREF=VXYZ01234567&RESPMSG=Approved&AUTHCODE=123PNI&AVSADDR=Y&AVSZIP=N"));
        // Generic shape (no single public doc): a form answer with ErrorCode 0.
        p.add(new Probe("form errorcode zero", "POST", 200, "application/x-www-form-urlencoded", "ErrorCode=0&ErrorText=&MessageId=77"));
        // Generic shape (no single public doc): a plain-text answer.
        p.add(new Probe("text ok", "POST", 200, "text/plain", "OK"));
        // Generic shape (no single public doc): a plain-text report.
        p.add(new Probe("text errors zero", "POST", 200, "text/plain", "ERRORS: 0\nSENT: 12\n"));
        // Generic shape (no single public doc): a GET of a log file.
        p.add(new Probe("text log read", "GET", 200, "text/plain", "ERROR: disk full\nWARN: retrying\n"));
        // Docker Engine API docs, build: a stream of JSON values ending in success.
        p.add(new Probe("docker build ndjson", "POST", 200, "application/json", "{\"stream\":\"Step 1/2 : FROM alpine\"}\r\n{\"stream\":\"\\n\"}\r\n{\"aux\":{\"ID\":\"sha256:1f5d1a2c\"}}\r\n{\"stream\":\"Successfully built 1f5d1a2c\\n\"}\r\n"));
        // Generic shape (no single public doc): a GET of a log stream whose last line is an error entry.
        p.add(new Probe("ndjson log read", "GET", 200, "application/x-ndjson", "{\"ts\":\"2024-01-01T00:00:00Z\",\"level\":\"info\",\"msg\":\"started\"}\n{\"ts\":\"2024-01-01T00:00:01Z\",\"level\":\"error\",\"msg\":\"payment declined\",\"error\":\"card_declined\"}\n"));
        // Generic shape (no single public doc): an export of records as NDJSON, last one failed.
        p.add(new Probe("ndjson export", "GET", 200, "application/x-ndjson", "{\"id\":1,\"status\":\"ok\"}\n{\"id\":2,\"status\":\"failed\",\"error\":\"timeout\"}\n"));
        // Ollama API docs, generate streaming: done true.
        p.add(new Probe("sse-like json lines", "GET", 200, "application/x-ndjson", "{\"model\":\"llama3\",\"response\":\"The\",\"done\":false}\n{\"model\":\"llama3\",\"response\":\"\",\"done\":true,\"done_reason\":\"stop\"}\n"));
        // Generic shape (no single public doc): an envelope whose error object is empty.
        p.add(new Probe("error empty object", "POST", 200, JSON, "{\"error\":{},\"data\":{\"id\":1}}"));
        // Generic shape (no single public doc): an envelope whose error is the empty string.
        p.add(new Probe("error empty string", "POST", 200, JSON, "{\"error\":\"\",\"result\":\"queued\"}"));
        // Generic shape (no single public doc): an envelope whose errors map is empty (Rails-style).
        p.add(new Probe("errors empty object", "POST", 200, JSON, "{\"errors\":{},\"id\":12}"));
        // Generic shape (no single public doc): an envelope whose error says none.
        p.add(new Probe("error none word", "GET", 200, JSON, "{\"error\":\"none\",\"value\":42}"));
        // Generic shape (no single public doc): an error object whose code is 0 and message empty.
        p.add(new Probe("error code zero object", "POST", 200, JSON, "{\"error\":{\"code\":0,\"message\":\"\"},\"result\":{\"id\":\"x\"}}"));
        // Generic shape (no single public doc): an error object whose code is 0 and message Success.
        p.add(new Probe("error code zero success msg", "POST", 200, JSON, "{\"error\":{\"code\":0,\"message\":\"Success\"},\"data\":{\"id\":\"x\"}}"));
        // Generic shape (no single public doc): an Error object with empty Code and Message.
        p.add(new Probe("aws-style empty Error", "POST", 200, JSON, "{\"Error\":{\"Code\":\"\",\"Message\":\"\"},\"RequestId\":\"r1\",\"Result\":{\"Id\":\"7\"}}"));
        // Generic shape (no single public doc): errorCode 0000 with errorMessage SUCCESS.
        p.add(new Probe("errorCode 0000 SUCCESS", "POST", 200, JSON, "{\"errorCode\":\"0000\",\"errorMessage\":\"SUCCESS\",\"data\":{\"ref\":\"A1\"}}"));
        // Generic shape (no single public doc): error code and message null beside a result.
        p.add(new Probe("error fields null", "GET", 200, JSON, "{\"errorCode\":null,\"errorMessage\":null,\"result\":{\"items\":[]}}"));
        // Generic shape (no single public doc): a node-style envelope: err null.
        p.add(new Probe("err null", "GET", 200, JSON, "{\"err\":null,\"data\":{\"ok\":1}}"));
        // Generic shape (no single public doc): success true beside a warning in error.
        p.add(new Probe("success with warning", "POST", 200, JSON, "{\"success\":true,\"error\":\"Some fields were ignored\",\"id\":\"x\"}"));
        // Generic shape (no single public doc): a result with warnings.
        p.add(new Probe("warnings list", "GET", 200, JSON, "{\"warnings\":[\"field foo is deprecated\"],\"data\":{\"id\":1}}"));
        // Generic shape (no single public doc): a status ok with a warning.
        p.add(new Probe("status ok warning", "POST", 200, JSON, "{\"status\":\"ok\",\"warning\":\"rate limit nearly reached\",\"remaining\":3}"));
        // Generic shape (no single public doc): code 0 beside a message naming ignored invalid entries.
        p.add(new Probe("code 0 message invalid ignored", "POST", 200, JSON, "{\"code\":0,\"message\":\"2 invalid entries ignored\",\"imported\":8}"));
        // Generic shape (no single public doc): a lint answer: no errors found.
        p.add(new Probe("message no errors", "POST", 200, JSON, "{\"message\":\"No errors found\",\"checked\":12}"));
        // Generic shape (no single public doc): an invitation read back as rejected.
        p.add(new Probe("invitation read", "GET", 200, JSON, "{\"invitation\":{\"id\":\"inv_1\",\"status\":\"rejected\",\"email\":\"a@b.c\"}}"));
        // Generic shape (no single public doc): a consent record read back as declined_by_user.
        p.add(new Probe("consent read", "GET", 200, JSON, "{\"consent_id\":\"c1\",\"status\":\"declined_by_user\",\"updated_at\":\"2024-01-01\"}"));
        // Generic shape (no single public doc): fault and exception members null.
        p.add(new Probe("fault exception null", "POST", 200, JSON, "{\"fault\":null,\"exception\":null,\"result\":{\"v\":1}}"));
        // Model Context Protocol spec, tools/call result: isError false.
        p.add(new Probe("mcp tool result ok", "POST", 200, JSON, "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"Error rate is 0.1%\"}],\"isError\":false}}"));
        // Generic shape (no single public doc): JSON-RPC 2.0 result object that has an error member of its own.
        p.add(new Probe("jsonrpc result with error field", "POST", 200, JSON, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"error\":null,\"value\":5}}"));
        // Ethereum JSON-RPC docs, eth_call.
        p.add(new Probe("eth call", "POST", 200, JSON, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x\"}"));
        // Generic shape (no single public doc): an envelope with data null and no error.
        p.add(new Probe("data null", "GET", 200, JSON, "{\"data\":null,\"meta\":{\"count\":0}}"));
        // GraphQL spec: a nullable field resolved to null without errors.
        p.add(new Probe("graphql null field no errors", "POST", 200, JSON, "{\"data\":{\"user\":null}}"));
        // Generic shape (no single public doc): JSend success with a null error.
        p.add(new Probe("status success error null", "POST", 200, JSON, "{\"status\":\"success\",\"data\":{\"post\":{\"id\":1,\"title\":\"Failures\"}},\"error\":null}"));
        // Generic shape (no single public doc): a batch answer: hasErrors false.
        p.add(new Probe("hasErrors false", "POST", 200, JSON, "{\"hasErrors\":false,\"results\":[{\"referenceId\":\"r1\",\"id\":\"001\"}]}"));
        // Generic shape (no single public doc): a send answer: failed 0.
        p.add(new Probe("failed zero", "POST", 200, JSON, "{\"sent\":5,\"failed\":0,\"messages\":[{\"id\":\"m1\"}]}"));
        // Generic shape (no single public doc): an answer with an empty unprocessed list.
        p.add(new Probe("unprocessed empty", "POST", 200, JSON, "{\"processed\":3,\"unprocessed\":[]}"));
        // Generic shape (no single public doc): an errors list of nulls, one per item.
        p.add(new Probe("errors array of nulls", "POST", 200, JSON, "{\"items\":[{\"id\":1},{\"id\":2}],\"errors\":[null,null]}"));
        // a mail API answer: rejected empty.
        p.add(new Probe("rejected empty", "POST", 200, JSON, "{\"accepted\":[\"a@b.c\"],\"rejected\":[],\"messageId\":\"<x@y>\"}"));
        // Generic shape (no single public doc): a payout batch: declined count 0.
        p.add(new Probe("decline count zero", "POST", 200, JSON, "{\"batch_id\":\"b1\",\"approved\":3,\"declined_count\":0,\"status\":\"processed\"}"));
        return p;
    }

    private Verdict classify(Probe p) {
        return c.classify(new ResponseSample(null, p.status(), p.contentType(), null, utf8(p.body()), false, p.method()));
    }

    private Verdict classify(String method, int status, String body) {
        return c.classify(new ResponseSample(null, status, JSON, null, utf8(body), false, method));
    }

    private static void failure(Verdict v, Verdict.Family family, ErrorType type) {
        assertThat(v).isInstanceOf(Verdict.BusinessError.class);
        Verdict.BusinessError e = (Verdict.BusinessError) v;
        assertThat(e.family()).isEqualTo(family);
        assertThat(e.type()).isEqualTo(type);
    }

    private static final Verdict OK = new Verdict.Ok(true);

    @Test
    void everySuccessBodyReadsOk() {
        List<Probe> all = probes();
        assertThat(all).hasSize(303);
        List<String> flagged = new ArrayList<>();
        for (Probe p : all) {
            Verdict v = classify(p);
            if (!(v instanceof Verdict.Ok)) {
                flagged.add(p.name() + " -> " + v);
            }
        }
        assertThat(flagged).isEmpty();
    }

    @Test
    void aNumberOfErrorsIsAStatisticAndAnErrorListIsNot() {
        assertThat(classify("GET", 200, "{\"service\":\"checkout\",\"request_count\":10400,\"errors\":37}")).isEqualTo(OK);
        assertThat(classify(null, 200, "{\"errors\":2,\"took\":3}")).isEqualTo(OK);
        failure(classify("GET", 200, "{\"service\":\"checkout\",\"errors\":[{\"message\":\"Invalid key\"}]}"),
                Verdict.Family.ENVELOPE, ErrorType.AUTH_FAILURE);
        // The singular is still a code: {"error": 1001, "message": ...} failed.
        failure(classify("GET", 200, "{\"error\":1001,\"message\":\"Invalid key\"}"), Verdict.Family.ENVELOPE,
                ErrorType.AUTH_FAILURE);
    }

    @Test
    void aBareInvalidStatusIsAValidatorsVerdictUnlessAMessageSpeaks() {
        String verdict = "{\"address\":\"invalid@example.com\",\"status\":\"invalid\",\"free_email\":false}";
        assertThat(classify("GET", 200, verdict)).isEqualTo(OK);
        assertThat(classify("POST", 200, verdict)).isEqualTo(OK);
        failure(classify("GET", 200, "{\"status\":\"invalid\",\"message\":\"Invalid API key\"}"),
                Verdict.Family.ENVELOPE, ErrorType.AUTH_FAILURE);
        // A status word that names the request ("INVALID_REQUEST") is the call's outcome, message or not.
        failure(classify("GET", 200, "{\"results\":[],\"status\":\"INVALID_REQUEST\"}"), Verdict.Family.ENVELOPE,
                ErrorType.VALIDATION);
        failure(classify("GET", 200, "{\"status\":\"error\"}"), Verdict.Family.ENVELOPE, ErrorType.GENERIC_BUSINESS_ERROR);
    }

    @Test
    void aDeclinedDecisionOfACompletedCheckIsItsContentUnlessMoneyMoved() {
        String check = "{\"request_id\":\"r1\",\"decision\":\"declined\",\"status\":\"completed\"}";
        assertThat(classify("POST", 200, check)).isEqualTo(OK);
        String charge = "{\"request_id\":\"r1\",\"decision\":\"declined\",\"status\":\"completed\",\"amount\":1000}";
        failure(classify("POST", 200, charge), Verdict.Family.PAYMENT, ErrorType.PAYMENT_FAILURE);
        failure(classify("POST", 200, "{\"request_id\":\"r1\",\"decision\":\"declined\"}"), Verdict.Family.PAYMENT,
                ErrorType.PAYMENT_FAILURE);
    }

    @Test
    void aReadOfARefusedPaymentIsDataAndTheWriteThatWasRefusedFailed() {
        String refused = "{\"pspReference\":\"8535296650153317\",\"resultCode\":\"Refused\","
                + "\"refusalReason\":\"Not enough balance\",\"merchantReference\":\"x\"}";
        assertThat(classify("GET", 200, refused)).isEqualTo(OK);
        failure(classify("POST", 200, refused), Verdict.Family.PAYMENT, ErrorType.PAYMENT_FAILURE);
        failure(classify(null, 200, refused), Verdict.Family.PAYMENT, ErrorType.PAYMENT_FAILURE);
    }

    @Test
    void aReadsTopLevelListHoldsRecordsAndAWritesListHoldsItsResults() {
        String deliveries = "[{\"id\":1,\"status\":\"Invalid HTTP Response: 400\",\"status_code\":400,\"event\":\"push\"},"
                + "{\"id\":2,\"status\":\"OK\",\"status_code\":200,\"event\":\"push\"}]";
        assertThat(classify("GET", 200, deliveries)).isEqualTo(OK);
        Verdict written = classify("POST", 200, deliveries);
        assertThat(written).isInstanceOf(Verdict.BusinessError.class);
        assertThat(((Verdict.BusinessError) written).family()).isEqualTo(Verdict.Family.BATCH);
        assertThat(((Verdict.BusinessError) written).batchPartial()).isTrue();
    }

    @Test
    void anXmlRecordsErrorElementIsItsOwnOnARead() {
        String job = "<?xml version=\"1.0\"?><job><id>42</id><status>failed</status><error>disk full</error></job>";
        assertThat(c.classify(new ResponseSample(null, 200, "application/xml", null, utf8(job), false, "GET"))).isEqualTo(OK);
        // Answering a write, the error element is this request's outcome.
        failure(c.classify(new ResponseSample(null, 200, "application/xml", null, utf8(job), false, "POST")),
                Verdict.Family.XML, ErrorType.GENERIC_BUSINESS_ERROR);
        // A read's list of records keeps its items' errors; a write answered with it failed.
        String jobs = "<jobs><job><name>nightly</name><status>failed</status><error>exit 1</error></job></jobs>";
        assertThat(c.classify(new ResponseSample(null, 200, "application/xml", null, utf8(jobs), false, "GET"))).isEqualTo(OK);
        failure(c.classify(new ResponseSample(null, 200, "application/xml", null, utf8(jobs), false, "POST")),
                Verdict.Family.XML, ErrorType.GENERIC_BUSINESS_ERROR);
        // An error element of the answer itself, beside records, still fails a read.
        failure(c.classify(new ResponseSample(null, 200, "application/xml", null,
                utf8("<jobs><error>Invalid key</error><job><name>nightly</name></job></jobs>"), false, "GET")),
                Verdict.Family.XML, ErrorType.AUTH_FAILURE);
        // Without an id the document is an answer envelope, read or not.
        failure(c.classify(new ResponseSample(null, 200, "application/xml", null,
                utf8("<response><error>Invalid key</error></response>"), false, "GET")), Verdict.Family.XML, ErrorType.AUTH_FAILURE);
    }

    @Test
    void aCreatedRecordsFailedStateIsTheOutcomeOnlyWhenMoneyMovedOrItSaysWhy() {
        // A CI posting a commit status: the "failure" state is what the caller reported, stored.
        String status = "{\"id\":1,\"state\":\"failure\",\"description\":\"Build has failed\",\"context\":\"ci/jenkins\"}";
        assertThat(classify("POST", 201, status)).isEqualTo(OK);
        // A message created in a failed state with its error code, or a charge created failed: this request failed.
        failure(classify("POST", 201, "{\"id\":\"m1\",\"status\":\"failed\",\"error_code\":30003,"
                + "\"error_message\":\"Unreachable destination handset\"}"), Verdict.Family.ENVELOPE, ErrorType.GENERIC_BUSINESS_ERROR);
        failure(classify("POST", 201, "{\"id\":\"j1\",\"status\":\"failed\",\"failure_reason\":\"quota exceeded\"}"),
                Verdict.Family.ENVELOPE, ErrorType.RATE_LIMIT);
        failure(classify("POST", 201, "{\"id\":\"ch_1\",\"object\":\"charge\",\"amount\":100,\"status\":\"failed\"}"),
                Verdict.Family.PAYMENT, ErrorType.PAYMENT_FAILURE);
    }

    @Test
    void aRequestBeingProcessedHasNoOutcomeYet() {
        assertThat(classify("POST", 200, "{\"status\":2,\"message\":\"Your request is being processed\",\"request_id\":\"r1\"}"))
                .isEqualTo(OK);
        failure(classify("POST", 200, "{\"status\":2,\"message\":\"Your request could not be processed\",\"request_id\":\"r1\"}"),
                Verdict.Family.VENDOR_CODE, ErrorType.GENERIC_BUSINESS_ERROR);
    }

    @Test
    void aReadOfAJsonLinesStreamHoldsRecords() {
        String log = "{\"level\":\"info\",\"msg\":\"started\"}\n{\"level\":\"error\",\"msg\":\"declined\",\"error\":\"card_declined\"}\n";
        ResponseSample read = new ResponseSample(null, 200, "application/x-ndjson", null, utf8(log), false, "GET");
        assertThat(c.classify(read)).isEqualTo(OK);
        // A write's progress stream that ends in an error failed; a read's stream whose own event is ERROR too.
        Verdict pushed = c.classify(new ResponseSample(null, 200, "application/x-ndjson", null,
                utf8("{\"status\":\"Pushing\"}\n{\"error\":\"denied: requested access to the resource is denied\"}\n"), false, "POST"));
        assertThat(pushed).isInstanceOf(Verdict.BusinessError.class);
        assertThat(((Verdict.BusinessError) pushed).family()).isEqualTo(Verdict.Family.NDJSON);
        Verdict watch = c.classify(new ResponseSample(null, 200, "application/json;stream=watch", null,
                utf8("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\"}}\n{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"too old resource version\",\"code\":410}}\n"), false, "GET"));
        assertThat(watch).isInstanceOf(Verdict.BusinessError.class);
        assertThat(((Verdict.BusinessError) watch).family()).isEqualTo(Verdict.Family.NDJSON);
    }

    @Test
    void aLookupsValidationErrorsDescribeTheSubjectItRead() {
        String lookup = "{\"phone_number\":\"+0000\",\"valid\":false,\"validation_errors\":[\"TOO_SHORT\"],"
                + "\"url\":\"https://lookups.example.com/v2/PhoneNumbers/+0000\"}";
        assertThat(classify("GET", 200, lookup)).isEqualTo(OK);
        // A write answered with them: its input was rejected.
        assertThat(classify("POST", 200, lookup)).isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void aReadsListOfRecordsKeepsEachRecordsErrors() {
        // Generic shape: a paged list of imported statements, one rejected with its own error list.
        String list = "{\"pagination\":{\"page\":1,\"itemCount\":2},\"items\":[{\"id\":\"st-1\",\"status\":\"ACCEPTED\"},"
                + "{\"id\":\"st-2\",\"status\":\"REJECTED\",\"errors\":[{\"title\":\"Duplicate\",\"status\":409}]}]}";
        assertThat(classify("GET", 200, list)).isEqualTo(OK);
        // The same items answering a write: this request's sub-operations, one failed.
        assertThat(classify("POST", 200, list)).isInstanceOf(Verdict.BusinessError.class);
        // A read whose items are not records (no id, no state) but failed fetches: still a failure of the read.
        String fetches = "{\"results\":[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"error\":{\"code\":500,\"message\":\"backend timeout\"}}]}";
        assertThat(classify("GET", 200, fetches)).isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void aReadsListsOfFailuresDescribeTheSubjectItRead() {
        // Generic shape: a domain check that lists the mailbox providers a domain fails with.
        String check = "{\"results\":{\"soft_failures\":[\"mail.example\"],\"hard_failures\":[\"post.example\"]}}";
        assertThat(classify("GET", 200, check)).isEqualTo(OK);
        // A write answered with failed items: they are this request's.
        String send = "{\"sent\":3,\"failures\":[{\"to\":\"+100\",\"reason\":\"unreachable\"}]}";
        assertThat(classify("POST", 200, send)).isInstanceOf(Verdict.BusinessError.class);
    }

    private Verdict classifyRoute(String method, String route, int status, String body) {
        return c.classify(new ResponseSample(route, status, JSON, null, utf8(body), false, method));
    }

    @Test
    void aPendingFlagOrARedirectMeansNotYetNotFailed() {
        // Generic shape: a card payment that needs a 3-D Secure step; success is false because nothing is settled yet.
        String pending = "{\"id\":991,\"pending\":true,\"success\":false,\"amount_cents\":5000,\"currency\":\"EUR\"}";
        assertThat(classify("POST", 200, pending)).isEqualTo(OK);
        String redirect = "{\"isSuccess\":false,\"redirectUrl\":\"https://pay.example/3ds/abc\",\"amount\":\"10.00\"}";
        assertThat(classify("POST", 201, redirect)).isEqualTo(OK);
        String step = "{\"respCode\":\"1001\",\"respDesc\":\"Redirect to authenticate the card.\"}";
        assertThat(classify("POST", 200, step)).isEqualTo(OK);
        // Not pending: the same payment refused.
        String refused = "{\"id\":992,\"pending\":false,\"success\":false,\"amount_cents\":5000,\"message\":\"Do not honour\"}";
        assertThat(classify("POST", 200, refused)).isInstanceOf(Verdict.BusinessError.class);
        // A pending flag does not clear an error that is there.
        String error = "{\"pending\":true,\"success\":false,\"error\":{\"code\":\"invalid_card\",\"message\":\"Card number is invalid\"}}";
        assertThat(classify("POST", 200, error)).isInstanceOf(Verdict.BusinessError.class);
        // An OAuth error that names the redirect is no redirect step.
        String oauth = "{\"code\":4001,\"message\":\"redirect_uri mismatch\"}";
        assertThat(classify("POST", 200, oauth)).isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void aReadOfAPaymentNamedByItsTokenOrIdDescribesIt() {
        String byToken = "{\"token\":\"tx-7f3a\",\"state\":\"DECLINED\",\"amount\":12.5,\"currency_code\":\"USD\","
                + "\"response\":{\"code\":\"1016\",\"memo\":\"Insufficient funds\"}}";
        assertThat(classify("GET", 200, byToken)).isEqualTo(OK);
        assertThat(classify("POST", 201, byToken)).isInstanceOf(Verdict.BusinessError.class);
        String byId = "{\"id\":4410,\"success\":false,\"amount_cents\":900,\"currency\":\"EGP\",\"data\":{\"message\":\"Do not honour\"}}";
        assertThat(classify("GET", 200, byId)).isEqualTo(OK);
        assertThat(classify("POST", 200, byId)).isInstanceOf(Verdict.BusinessError.class);
        // A read that failed: no record, just an envelope that says so.
        assertThat(classify("GET", 200, "{\"success\":false,\"error\":\"Transaction not found\"}"))
                .isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void aGetOfOneRecordByItsIdReturnsThatRecordsState() {
        String build = "{\"id\":51,\"version\":\"latest\",\"created\":\"2026-01-01T00:00:00Z\",\"duration\":40,"
                + "\"state\":{\"code\":\"finished\"},\"success\":false,\"error\":\"config file not found\",\"commit\":\"ab12\"}";
        assertThat(classifyRoute("GET", "/projects/{slug}/builds/{id}", 200, build)).isEqualTo(OK);
        String job = "{\"jobState\":\"FAILED\",\"rowCount\":0,\"errorMessage\":\"Table not found\",\"startedAt\":\"t0\","
                + "\"endedAt\":\"t1\",\"queryType\":\"REST\"}";
        assertThat(classifyRoute("GET", "/api/job/{id}", 200, job)).isEqualTo(OK);
        // The same record answering a write (it is this request's outcome), or read from a list route, is judged as before.
        assertThat(classifyRoute("POST", "/projects/{slug}/builds", 200, build)).isInstanceOf(Verdict.BusinessError.class);
        // An envelope answering a GET by id: few fields of its own, so not a record.
        String envelope = "{\"status\":\"error\",\"code\":1004,\"message\":\"Record not found\",\"data\":null,\"timestamp\":1700000000}";
        assertThat(classifyRoute("GET", "/users/{id}", 200, envelope)).isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void aGetWithManyFieldsOfItsOwnBesideAStateIsARecord() {
        String scan = "{\"host\":\"a.example\",\"port\":443,\"protocol\":\"http\",\"isPublic\":false,\"status\":\"ERROR\","
                + "\"statusMessage\":\"Unable to resolve domain name\",\"startTime\":1,\"testTime\":2,\"engineVersion\":\"2.2\"}";
        assertThat(classifyRoute("GET", "/api/analyze", 200, scan)).isEqualTo(OK);
        // Five fields of its own beside an error status: still an envelope that reports the call's failure.
        String envelope = "{\"status\":\"error\",\"message\":\"Invalid API key\",\"path\":\"/api/analyze\",\"timestamp\":1,"
                + "\"docs\":\"https://docs.example/errors\",\"hint\":\"rotate the key\",\"region\":\"eu\"}";
        assertThat(classifyRoute("GET", "/api/analyze", 200, envelope)).isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void aWritesListUnderAnyNameCarriesItsItemsOutcomes() {
        // Generic shape: a stock update answered per item, one with its error list.
        String stocks = "{\"result\":[{\"product_id\":1,\"updated\":true,\"errors\":[]},"
                + "{\"product_id\":0,\"updated\":false,\"errors\":[{\"code\":\"NOT_CREATED\",\"message\":\"Product is not created\"}]}]}";
        Verdict v = classify("POST", 200, stocks);
        assertThat(v).isInstanceOf(Verdict.BusinessError.class);
        assertThat(((Verdict.BusinessError) v).batchPartial()).isTrue();
        String all = "{\"products\":[{\"product\":\"a\",\"result\":\"success\"},{\"product\":\"b\",\"result\":\"error\","
                + "\"error\":{\"price\":\"must be positive\"}}]}";
        assertThat(classify("POST", 200, all)).isInstanceOf(Verdict.BusinessError.class);
        // Every item went through.
        assertThat(classify("POST", 200, stocks.replace("\"updated\":false", "\"updated\":true")
                .replace("[{\"code\":\"NOT_CREATED\",\"message\":\"Product is not created\"}]", "[]"))).isEqualTo(OK);
        // The same list beside a resource's own fields is its history, not this write's items.
        String resource = "{\"id\":\"pay_1\",\"amount\":100,\"status\":\"succeeded\",\"attempts\":[{\"n\":1,\"error\":{\"code\":\"timeout\"}},{\"n\":2}]}";
        assertThat(classify("POST", 200, resource)).isEqualTo(OK);
    }

    @Test
    void anItemThatIsOnlyAnErrorObjectFailed() {
        String mixed = "[{\"success\":{\"/lights/1/on\":true}},{\"error\":{\"type\":6,\"description\":\"parameter, hue2, not available\"}}]";
        assertThat(classify("PUT", 200, mixed)).isInstanceOf(Verdict.BusinessError.class);
        String denied = "[{\"error\":{\"type\":1,\"address\":\"/\",\"description\":\"unauthorized user\"}}]";
        assertThat(classify("GET", 200, denied)).isInstanceOf(Verdict.BusinessError.class);
        // A read of log records that carry an error field among their own: records.
        String logs = "[{\"ts\":1,\"level\":\"error\",\"error\":{\"message\":\"disk full\"}},{\"ts\":2,\"level\":\"info\"}]";
        assertThat(classify("GET", 200, logs)).isEqualTo(OK);
    }

    @Test
    void aDeclinedPaymentInsideASuccessfulCallIsThisRequestsOutcome() {
        String declined = "{\"successful\":true,\"response\":{\"id\":\"p-1\",\"amount\":1000,\"successful\":false,"
                + "\"message\":\"Declined\",\"response_code\":\"05\"},\"errors\":[]}";
        assertThat(classify("POST", 200, declined)).isInstanceOf(Verdict.BusinessError.class);
        assertThat(classify("POST", 200, declined.replace("\"successful\":false", "\"successful\":true")
                .replace("Declined", "Approved").replace("\"05\"", "\"00\""))).isEqualTo(OK);
        // Read back later, the declined payment is data.
        assertThat(classify("GET", 200, declined)).isEqualTo(OK);
    }

    @Test
    void aStatusBlockNamedForTheRequestSpeaksForTheBody() {
        String failed = "{\"requestStatus\":{\"success\":false,\"error\":{\"errorCode\":\"10\",\"errorMessage\":\"quantity exceeds availability\"}}}";
        assertThat(classify("POST", 200, failed)).isInstanceOf(Verdict.BusinessError.class);
        assertThat(classify("POST", 200, "{\"requestStatus\":{\"success\":true,\"version\":\"v1\"},\"booking\":{\"code\":\"R1\"}}"))
                .isEqualTo(OK);
        // A record's own status object stays the record's.
        assertThat(classify("GET", 200, "{\"orderStatus\":{\"code\":\"FAILED\",\"message\":\"out of stock\"},\"id\":\"o1\"}"))
                .isEqualTo(OK);
    }

    @Test
    void aSoapOperationNamedForAReadReadsItsRecord() {
        String read = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><GetJobResponse>"
                + "<job><id>42</id><state>FAILED</state><error>disk full</error></job></GetJobResponse></soap:Body></soap:Envelope>";
        assertThat(c.classify(new ResponseSample(null, 200, XML, null, utf8(read), false, "POST"))).isEqualTo(OK);
        // The same body answering an operation that makes something: this request failed.
        String made = read.replace("GetJobResponse", "CreateJobResponse");
        assertThat(c.classify(new ResponseSample(null, 200, XML, null, utf8(made), false, "POST")))
                .isInstanceOf(Verdict.BusinessError.class);
    }
}
