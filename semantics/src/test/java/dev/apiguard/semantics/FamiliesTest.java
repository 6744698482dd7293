package dev.apiguard.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * The failure families beyond the top-level envelope, each with realistic bodies written for this
 * test after public API conventions (the source names the convention; nothing is copied) and with
 * the negatives that must not trip them. In the bodies a backtick stands for a double quote.
 * Prints precision, recall and type accuracy per family.
 */
class FamiliesTest {
    private static final String J = "application/json";
    private static final String XML = "text/xml; charset=utf-8";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final Classifier c = Classifiers.builtIn();

    /** Expected: null type for "no business error". */
    record Case(String group, String source, int status, String contentType, String body, boolean truncated,
            ErrorType type, Verdict.Family family, boolean batch, boolean partial) {}

    private static final List<Case> CASES = new ArrayList<>();

    private static void err(String group, String source, int status, String ct, String body, ErrorType type,
            Verdict.Family family) {
        CASES.add(new Case(group, source, status, ct, body.replace('`', '"'), false, type, family, false, false));
    }

    private static void batch(String group, String source, int status, String ct, String body, ErrorType type,
            Verdict.Family family) {
        CASES.add(new Case(group, source, status, ct, body.replace('`', '"'), false, type, family, true, false));
    }

    private static void ok(String group, String source, int status, String ct, String body) {
        CASES.add(new Case(group, source, status, ct, body.replace('`', '"'), false, null, null, false, false));
    }

    private static void okCut(String group, String source, int status, String ct, String body) {
        CASES.add(new Case(group, source, status, ct, body.replace('`', '"'), true, null, null, false, false));
    }

    private static void partial(String group, String source, int status, String ct, String body) {
        CASES.add(new Case(group, source, status, ct, body.replace('`', '"'), false, null, null, false, true));
    }

    static {
        ErrorType pay = ErrorType.PAYMENT_FAILURE, auth = ErrorType.AUTH_FAILURE, rate = ErrorType.RATE_LIMIT,
                val = ErrorType.VALIDATION, nf = ErrorType.NOT_FOUND, gen = ErrorType.GENERIC_BUSINESS_ERROR;
        Verdict.Family env = Verdict.Family.ENVELOPE, payment = Verdict.Family.PAYMENT, code = Verdict.Family.VENDOR_CODE,
                gql = Verdict.Family.GRAPHQL, bat = Verdict.Family.BATCH, xml = Verdict.Family.XML,
                form = Verdict.Family.FORM, nd = Verdict.Family.NDJSON, problem = Verdict.Family.PROBLEM;

        // ---- payment and transaction results
        err("payment", "Adyen Checkout resultCode Refused", 200, J,
                "{`pspReference`:`8515131751004933`,`resultCode`:`Refused`,`refusalReason`:`Not enough balance`,`refusalReasonCode`:`12`,`merchantReference`:`order-1`}", pay, payment);
        err("payment", "Adyen Checkout resultCode Error", 200, J,
                "{`pspReference`:`8515131751004934`,`resultCode`:`Error`,`refusalReason`:`Acquirer Error`}", gen, code);
        err("payment", "Checkout.com payment request 201 approved:false", 201, J,
                "{`id`:`pay_mbabizu24mvu3mela5njyhpit4`,`action_id`:`act_1`,`amount`:6540,`currency`:`USD`,`approved`:false,`status`:`Declined`,`response_code`:`20005`,`response_summary`:`Declined - Do Not Honour`}", pay, payment);
        ok("payment", "Checkout.com GET payment details: an earlier decline is data", 200, J,
                "{`id`:`pay_mbabizu24mvu3mela5njyhpit4`,`requested_on`:`2024-01-01T00:00:00Z`,`amount`:6540,`currency`:`USD`,`approved`:false,`status`:`Declined`}");
        err("payment", "CyberSource REST 201 DECLINED with errorInformation", 201, J,
                "{`id`:`6461731521426399003009`,`status`:`DECLINED`,`errorInformation`:{`reason`:`INSUFFICIENT_FUND`,`message`:`Decline - Insufficient funds in the account.`},`submitTimeUtc`:`2024-01-01T00:00:00Z`}", pay, payment);
        err("payment", "CyberSource decision REJECT", 200, J,
                "{`requestID`:`0305782650000167905080`,`decision`:`REJECT`,`reasonCode`:`203`}", pay, payment);
        ok("payment", "CyberSource decision REVIEW is not a refusal", 200, J,
                "{`requestID`:`0305782650000167905081`,`decision`:`REVIEW`,`reasonCode`:`480`}");
        ok("payment", "CyberSource decision ACCEPT", 200, J, "{`requestID`:`1`,`decision`:`ACCEPT`,`reasonCode`:`100`}");
        err("payment", "Authorize.Net transactionResponse declined under messages resultCode Ok", 200, J,
                "{`transactionResponse`:{`responseCode`:`2`,`authCode`:`000000`,`transId`:`60103474871`,`errors`:[{`errorCode`:`2`,`errorText`:`This transaction has been declined.`}]},`refId`:`123456`,`messages`:{`resultCode`:`Ok`,`message`:[{`code`:`I00001`,`text`:`Successful.`}]}}", pay, payment);
        ok("payment", "Authorize.Net approved", 200, J,
                "{`transactionResponse`:{`responseCode`:`1`,`authCode`:`HW617E`,`transId`:`2149186954`,`messages`:[{`code`:`1`,`description`:`This transaction has been approved.`}]},`refId`:`1`,`messages`:{`resultCode`:`Ok`}}");
        ok("payment", "Stripe PaymentIntent read: requires_payment_method is a state, not this request's failure", 200, J,
                "{`id`:`pi_3MtwBwLkdIwHu7ix28a3tqPa`,`object`:`payment_intent`,`amount`:2000,`status`:`requires_payment_method`,`last_payment_error`:{`code`:`card_declined`,`decline_code`:`insufficient_funds`}}");
        ok("payment", "Stripe Charge read with status failed is a record", 200, J,
                "{`id`:`ch_1`,`object`:`charge`,`status`:`failed`,`failure_code`:`card_declined`,`failure_message`:`Your card was declined.`,`outcome`:{`type`:`issuer_declined`}}");
        ok("payment", "Adyen resultCode Pending", 200, J, "{`pspReference`:`1`,`resultCode`:`Pending`}");
        ok("payment", "Adyen resultCode Authorised", 200, J, "{`pspReference`:`1`,`resultCode`:`Authorised`,`amount`:{`value`:100}}");
        ok("payment", "a 3-D Secure step: requires_action", 200, J, "{`status`:`requires_action`,`next_action`:{`type`:`redirect_to_url`}}");
        ok("payment", "an authorization held, not captured", 200, J, "{`status`:`authorized`,`amount`:100}");
        err("payment", "payment status declined without a record id", 200, J,
                "{`payment_status`:`declined`,`message`:`Card declined by issuer`}", pay, payment);

        // ---- one wrapper object
        err("wrapper", "Alipay OpenAPI <method>_response with code 40004 and sub_code", 200, J,
                "{`alipay_trade_pay_response`:{`code`:`40004`,`msg`:`Business Failed`,`sub_code`:`ACQ.TRADE_HAS_CLOSE`,`sub_msg`:`trade closed`},`sign`:`ERITJKEIJKJHKKKKKKKHJEREEEEEEEEEEE`}", gen, code);
        err("wrapper", "Alipay OpenAPI isv signature sub_code", 200, J,
                "{`alipay_trade_query_response`:{`code`:`40002`,`msg`:`Invalid Arguments`,`sub_code`:`isv.invalid-signature`,`sub_msg`:`bad sign`},`sign`:`x`}", auth, code);
        ok("wrapper", "Alipay OpenAPI success 10000", 200, J,
                "{`alipay_trade_query_response`:{`code`:`10000`,`msg`:`Success`,`trade_status`:`TRADE_SUCCESS`},`sign`:`x`}");
        err("wrapper", "Taobao TOP error_response", 200, J,
                "{`error_response`:{`code`:15,`msg`:`Remote service error`,`sub_code`:`isv.invalid-parameter`,`sub_msg`:`Invalid arguments:num_iid`,`request_id`:`3uoaodbj8uok`}}", val, env);
        err("wrapper", "Tencent Cloud API 3.0 Response.Error", 200, J,
                "{`Response`:{`Error`:{`Code`:`AuthFailure.SignatureExpire`,`Message`:`The signature expired`},`RequestId`:`ab12`}}", auth, env);
        ok("wrapper", "Tencent Cloud API 3.0 success", 200, J, "{`Response`:{`TotalCount`:0,`InstanceSet`:[],`RequestId`:`ab12`}}");
        err("wrapper", "operation-named wrapper with an Error member", 200, J,
                "{`CreateOrderResponse`:{`ResponseMetadata`:{`RequestId`:`r1`},`Error`:{`Code`:`InvalidParameterValue`,`Message`:`Value x for parameter y is invalid.`}}}", val, env);
        err("wrapper", "response wrapper with status error", 200, J,
                "{`response`:{`status`:`error`,`error_code`:`AUTH_FAILED`,`message`:`Invalid API key`}}", auth, env);
        err("wrapper", "result wrapper with success false", 200, J,
                "{`result`:{`success`:false,`message`:`Order not found`}}", nf, env);
        ok("wrapper", "result wrapper holding a record in a failed state", 200, J, "{`result`:{`id`:7,`status`:`failed`}}");
        ok("wrapper", "JSON-RPC result is data", 200, J, "{`jsonrpc`:`2.0`,`result`:{`success`:false},`id`:1}");
        ok("wrapper", "Solr response wrapper", 200, J, "{`responseHeader`:{`status`:0,`QTime`:1},`response`:{`numFound`:0,`docs`:[]}}");
        ok("wrapper", "a wrapper beside many members is a record part", 200, J,
                "{`name`:`a`,`owner`:`b`,`size`:3,`kind`:`c`,`created`:1,`lastResult`:{`status`:`failed`}}");
        err("wrapper", "data carrying a vendor code", 200, J, "{`data`:{`code`:1001,`message`:`token expired`}}", auth, code);
        ok("wrapper", "data whose status word is data", 200, J, "{`data`:{`status`:`error`,`name`:`job-7`}}");
        ok("wrapper", "data record in a failed state", 200, J, "{`data`:{`id`:1,`status`:`failed`}}");
        ok("wrapper", "outer success wins over a nested failure", 200, J, "{`status`:`success`,`data`:{`success`:false}}");

        // ---- vendor status codes
        err("vendor", "WeChat errcode", 200, J,
                "{`errcode`:40001,`errmsg`:`invalid credential, access_token is invalid or not latest`}", auth, code);
        err("vendor", "Baidu error_code", 200, J, "{`error_code`:110,`error_msg`:`Access token invalid or no longer valid`}", auth, code);
        err("vendor", "ReturnCode with a message", 200, J, "{`ReturnCode`:-1,`ReturnMessage`:`Parameter error`}", val, code);
        err("vendor", "M-Pesa Daraja errorCode", 200, J,
                "{`requestId`:`1234-567`,`errorCode`:`404.001.03`,`errorMessage`:`Invalid Access Token`}", auth, code);
        ok("vendor", "M-Pesa Daraja ResponseCode 0", 200, J,
                "{`MerchantRequestID`:`29115-34620561-1`,`CheckoutRequestID`:`ws_CO_1`,`ResponseCode`:`0`,`ResponseDescription`:`Success. Request accepted for processing`}");
        err("vendor", "Alipay-style code and sub_code at top level", 200, J,
                "{`code`:`40002`,`msg`:`Invalid Arguments`,`sub_code`:`isv.invalid-signature`,`sub_msg`:`sign check failed`}", auth, code);
        err("vendor", "result_code FAIL needs no message", 200, J, "{`return_code`:`SUCCESS`,`result_code`:`FAIL`,`err_code`:`ORDERPAID`}", gen, code);
        err("vendor", "retcode with retmsg", 200, J, "{`retcode`:-5002,`retmsg`:`rate limit exceeded`}", rate, code);
        ok("vendor", "rc without corroboration", 200, J, "{`rc`:5,`items`:[1,2]}");
        ok("vendor", "rc 0", 200, J, "{`rc`:0,`data`:{`a`:1}}");
        ok("vendor", "string code 0 with message success", 200, J, "{`code`:`0`,`message`:`success`,`data`:{}}");
        ok("vendor", "result_code SUCCESS", 200, J, "{`result_code`:`SUCCESS`,`total`:3}");
        ok("vendor", "resultCode 0000", 200, J, "{`resultCode`:`0000`,`resultMsg`:`OK`}");
        ok("vendor", "a country code is not a status", 200, J, "{`code`:`DE`,`message`:`Germany`}");
        err("vendor", "eBay JSON Ack Failure", 200, J,
                "{`Ack`:`Failure`,`Errors`:[{`ShortMessage`:`Auth token is invalid.`,`ErrorCode`:`931`,`SeverityCode`:`Error`}]}", auth, env);
        ok("vendor", "eBay JSON Ack Warning with notes", 200, J,
                "{`Ack`:`Warning`,`Errors`:[{`ShortMessage`:`Item specifics recommended.`,`SeverityCode`:`Warning`}],`ItemID`:`110`}");

        // ---- GraphQL
        err("graphql", "GraphQL errors with every root field null", 200, J,
                "{`errors`:[{`message`:`Not authorized to access this customer`,`path`:[`customer`],`extensions`:{`code`:`FORBIDDEN`}}],`data`:{`customer`:null}}", auth, gql);
        err("graphql", "GraphQL data null, extensions.code UNAUTHENTICATED", 200, J,
                "{`errors`:[{`message`:`You must be logged in`,`extensions`:{`code`:`UNAUTHENTICATED`}}],`data`:null}", auth, gql);
        err("graphql", "GraphQL BAD_USER_INPUT", 200, J,
                "{`errors`:[{`message`:`Variable $id got an unexpected value`,`extensions`:{`code`:`BAD_USER_INPUT`}}],`data`:null}", val, gql);
        err("graphql", "GraphQL validation failed, no data key", 200, J,
                "{`errors`:[{`message`:`Cannot query field x on type Query`,`extensions`:{`code`:`GRAPHQL_VALIDATION_FAILED`}}]}", val, env);
        err("graphql", "GraphQL NOT_FOUND type", 200, J,
                "{`data`:{`user`:null},`errors`:[{`type`:`NOT_FOUND`,`path`:[`user`],`message`:`Could not resolve to a User with the login of x.`}]}", nf, gql);
        err("graphql", "GraphQL THROTTLED", 200, J,
                "{`errors`:[{`message`:`Throttled`,`extensions`:{`code`:`THROTTLED`,`documentation`:`https://x`}}],`data`:{`shop`:null}}", rate, gql);
        err("graphql", "mutation payload userErrors", 200, J,
                "{`data`:{`productCreate`:{`product`:null,`userErrors`:[{`field`:[`title`],`message`:`Title can't be blank`}]}},`extensions`:{`cost`:{`requestedQueryCost`:10}}}", val, gql);
        err("graphql", "mutation payload errors list", 200, J,
                "{`data`:{`createIssue`:{`issue`:null,`errors`:[{`message`:`Repository not found`}]}}}", nf, gql);
        ok("graphql", "mutation payload with empty userErrors", 200, J,
                "{`data`:{`productCreate`:{`product`:{`id`:`gid://shopify/Product/1`},`userErrors`:[]}}}");
        partial("graphql", "GraphQL partial read: some data, some errors", 200, J,
                "{`errors`:[{`message`:`Cannot return null`,`path`:[`order`,`items`,1,`price`]}],`data`:{`order`:{`id`:`1`,`items`:[{`price`:1},null]}}}");
        partial("graphql", "GraphQL partial read: one root field null, another not", 200, J,
                "{`errors`:[{`message`:`boom`,`path`:[`b`]}],`data`:{`a`:{`id`:1},`b`:null}}");
        ok("graphql", "GraphQL query with a nullable field null and no errors", 200, J, "{`data`:{`viewer`:null}}");

        // ---- batch and multi-status
        batch("batch", "Elasticsearch _bulk errors:true", 200, J,
                "{`took`:30,`errors`:true,`items`:[{`index`:{`_index`:`test`,`_id`:`1`,`result`:`created`,`status`:201}},{`index`:{`_index`:`test`,`_id`:`2`,`status`:400,`error`:{`type`:`mapper_parsing_exception`,`reason`:`failed to parse field [age]`}}}]}", val, bat);
        ok("batch", "Elasticsearch _bulk all created", 200, J,
                "{`took`:3,`errors`:false,`items`:[{`index`:{`_index`:`test`,`_id`:`1`,`result`:`created`,`status`:201}}]}");
        batch("batch", "FCM legacy multicast with failure:1", 200, J,
                "{`multicast_id`:216,`success`:1,`failure`:1,`canonical_ids`:0,`results`:[{`message_id`:`1:0408`},{`error`:`NotRegistered`}]}", val, bat);
        ok("batch", "FCM legacy multicast all sent", 200, J,
                "{`multicast_id`:217,`success`:2,`failure`:0,`canonical_ids`:0,`results`:[{`message_id`:`a`},{`message_id`:`b`}]}");
        batch("batch", "Kinesis PutRecords FailedRecordCount", 200, "application/x-amz-json-1.1",
                "{`FailedRecordCount`:1,`Records`:[{`SequenceNumber`:`4955`,`ShardId`:`shardId-000000000001`},{`ErrorCode`:`ProvisionedThroughputExceededException`,`ErrorMessage`:`Rate exceeded for shard shardId-000000000001`}]}", rate, bat);
        ok("batch", "Kinesis PutRecords FailedRecordCount 0", 200, "application/x-amz-json-1.1",
                "{`FailedRecordCount`:0,`Records`:[{`SequenceNumber`:`1`,`ShardId`:`s`}]}");
        batch("batch", "EventBridge PutEvents FailedEntryCount", 200, "application/x-amz-json-1.1",
                "{`FailedEntryCount`:1,`Entries`:[{`EventId`:`11710aed`},{`ErrorCode`:`InternalFailure`,`ErrorMessage`:`internal failure`}]}", gen, bat);
        batch("batch", "DynamoDB BatchWriteItem UnprocessedItems", 200, "application/x-amz-json-1.0",
                "{`UnprocessedItems`:{`Forum`:[{`PutRequest`:{`Item`:{`Name`:{`S`:`x`}}}}]},`ConsumedCapacity`:[]}", rate, bat);
        ok("batch", "DynamoDB BatchWriteItem nothing unprocessed", 200, "application/x-amz-json-1.0", "{`UnprocessedItems`:{}}");
        batch("batch", "SQS SendMessageBatch Failed list", 200, "application/x-amz-json-1.0",
                "{`Successful`:[{`Id`:`1`,`MessageId`:`m1`}],`Failed`:[{`Id`:`2`,`SenderFault`:true,`Code`:`InvalidParameterValue`,`Message`:`Message must be shorter than 262144 bytes.`}]}", val, bat);
        batch("batch", "Salesforce sObject Collections: a top-level array of results", 200, J,
                "[{`id`:`001RM000003oLnnYAE`,`success`:true,`errors`:[]},{`success`:false,`errors`:[{`statusCode`:`MALFORMED_ID`,`message`:`malformed id 001RM000003oLrB000`,`fields`:[]}]}]", val, bat);
        ok("batch", "a top-level list of job runs with error fields is data", 200, J,
                "[{`id`:1,`status`:`failed`,`error`:`timeout`},{`id`:2,`status`:`ok`}]");
        batch("batch", "Microsoft Graph JSON batch with a 403 member", 200, J,
                "{`responses`:[{`id`:`1`,`status`:200,`body`:{`id`:`u1`}},{`id`:`2`,`status`:403,`body`:{`error`:{`code`:`Forbidden`,`message`:`Insufficient privileges to complete the operation.`}}}]}", auth, bat);
        ok("batch", "a list of access-log entries with 404s is data", 200, J,
                "{`items`:[{`id`:1,`status`:404,`path`:`/missing`},{`id`:2,`status`:200,`path`:`/`}]}");
        batch("batch", "Elasticsearch update_by_query failures list", 200, J,
                "{`took`:147,`timed_out`:false,`total`:5,`updated`:4,`failures`:[{`index`:`x`,`id`:`1`,`cause`:{`type`:`version_conflict_engine_exception`},`status`:409}]}", val, bat);
        ok("batch", "empty failures list", 200, J, "{`took`:3,`failures`:[],`total`:5,`updated`:5}");
        ok("batch", "a statistics body with a failed count is data", 200, J, "{`succeeded`:120,`failed`:3,`total`:123}");
        ok("batch", "failed:0 beside items", 200, J, "{`failed`:0,`items`:[]}");

        // ---- XML beyond SOAP faults
        err("xml", "XML-RPC methodResponse fault", 200, XML,
                "<?xml version=`1.0`?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>4</int></value></member><member><name>faultString</name><value><string>Too many parameters.</string></value></member></struct></value></fault></methodResponse>", val, xml);
        ok("xml", "XML-RPC methodResponse params", 200, XML,
                "<?xml version=`1.0`?><methodResponse><params><param><value><string>South Dakota</string></value></param></params></methodResponse>");
        err("xml", "Flickr REST rsp stat=fail", 200, XML,
                "<?xml version=`1.0` encoding=`utf-8` ?><rsp stat=`fail`><err code=`98` msg=`Invalid auth token` /></rsp>", auth, xml);
        ok("xml", "Flickr REST rsp stat=ok", 200, XML, "<?xml version=`1.0` encoding=`utf-8` ?><rsp stat=`ok`><photos page=`1`/></rsp>");
        err("xml", "eBay Trading Ack Failure", 200, XML,
                "<?xml version=`1.0` encoding=`UTF-8`?><AddItemResponse xmlns=`urn:ebay:apis:eBLBaseComponents`><Timestamp>2024-01-01T00:00:00.000Z</Timestamp><Ack>Failure</Ack><Errors><ShortMessage>Auth token is invalid.</ShortMessage><ErrorCode>931</ErrorCode><SeverityCode>Error</SeverityCode></Errors><Version>1235</Version></AddItemResponse>", auth, xml);
        ok("xml", "eBay Trading Ack Warning", 200, XML,
                "<AddItemResponse xmlns=`urn:ebay:apis:eBLBaseComponents`><Ack>Warning</Ack><Errors><ShortMessage>Item specifics recommended.</ShortMessage><SeverityCode>Warning</SeverityCode></Errors><ItemID>1100</ItemID></AddItemResponse>");
        batch("xml", "eBay Ack PartialFailure", 200, XML,
                "<ReviseInventoryStatusResponse xmlns=`urn:ebay:apis:eBLBaseComponents`><Ack>PartialFailure</Ack><Errors><ShortMessage>Invalid SKU.</ShortMessage></Errors></ReviseInventoryStatusResponse>", val, xml);
        err("xml", "S3 200 OK with an Error document (CompleteMultipartUpload)", 200, "application/xml",
                "<?xml version=`1.0` encoding=`UTF-8`?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>656c76696e67</RequestId></Error>", gen, xml);
        batch("xml", "S3 DeleteObjects with one Error member", 200, "application/xml",
                "<?xml version=`1.0` encoding=`UTF-8`?><DeleteResult xmlns=`http://s3.amazonaws.com/doc/2006-03-01/`><Deleted><Key>sample1.txt</Key></Deleted><Error><Key>sample2.txt</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>", auth, xml);
        err("xml", "EC2 Query API Response/Errors", 200, XML,
                "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>ea966190</RequestID></Response>", auth, xml);
        err("xml", "WeChat Pay v2 result_code FAIL in CDATA", 200, XML,
                "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg><result_code><![CDATA[FAIL]]></result_code><err_code><![CDATA[ORDERPAID]]></err_code></xml>", gen, xml);
        ok("xml", "WeChat Pay v2 success", 200, XML,
                "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg><result_code><![CDATA[SUCCESS]]></result_code><prepay_id><![CDATA[wx2014]]></prepay_id></xml>");
        batch("xml", "WebDAV DELETE 207 with a locked member", 207, XML,
                "<?xml version=`1.0` encoding=`utf-8` ?><d:multistatus xmlns:d=`DAV:`><d:response><d:href>http://www.example.com/container/resource3</d:href><d:status>HTTP/1.1 423 Locked</d:status><d:error><d:lock-token-submitted/></d:error></d:response></d:multistatus>", gen, xml);
        ok("xml", "WebDAV PROPFIND: a 404 propstat is a missing property, not a failure", 207, XML,
                "<D:multistatus xmlns:D=`DAV:`><D:response><D:href>/file</D:href><D:propstat><D:prop><D:getcontentlength>12</D:getcontentlength></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat><D:propstat><D:prop><D:quota-used-bytes/></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat></D:response></D:multistatus>");
        batch("xml", "WebDAV PROPPATCH 424 failed dependency", 207, XML,
                "<D:multistatus xmlns:D=`DAV:`><D:response><D:href>/bar.html</D:href><D:propstat><D:prop><Z:Authors xmlns:Z=`http://ns.example.com/z/`/></D:prop><D:status>HTTP/1.1 424 Failed Dependency</D:status></D:propstat><D:propstat><D:prop><Z:Copyright-Owner xmlns:Z=`http://ns.example.com/z/`/></D:prop><D:status>HTTP/1.1 409 Conflict</D:status></D:propstat></D:response></D:multistatus>", gen, xml);
        ok("xml", "an order record whose status is failed", 200, XML, "<order><id>1</id><status>failed</status></order>");
        err("xml", "response status=error attribute", 200, XML, "<response status=`error`><message>Invalid API key</message></response>", auth, xml);
        err("xml", "SOAP operation response carrying Errors", 200, XML,
                "<soap:Envelope xmlns:soap=`http://schemas.xmlsoap.org/soap/envelope/`><soap:Body><GetRatesResponse><Errors><Error><Code>1001</Code><Message>Account not found</Message></Error></Errors></GetRatesResponse></soap:Body></soap:Envelope>", nf, xml);

        // ---- other encodings
        err("encoding", "PayPal NVP ACK=Failure, processor decline", 200, TEXT,
                "TIMESTAMP=2024%2d01%2d01T00%3a00%3a00Z&CORRELATIONID=abc123&ACK=Failure&VERSION=204&BUILD=1&L_ERRORCODE0=15005&L_SHORTMESSAGE0=Processor%20Decline&L_LONGMESSAGE0=This%20transaction%20cannot%20be%20processed.&L_SEVERITYCODE0=Error", pay, form);
        err("encoding", "PayPal NVP security error, form content type", 200, FORM,
                "ACK=Failure&L_ERRORCODE0=10002&L_SHORTMESSAGE0=Security+error&L_LONGMESSAGE0=Security+header+is+not+valid", gen, form);
        ok("encoding", "PayPal NVP ACK=Success", 200, TEXT, "ACK=Success&CORRELATIONID=x&TRANSACTIONID=9X&AMT=10%2e00");
        err("encoding", "NMI direct post responsetext=DECLINE", 200, TEXT,
                "response=2&responsetext=DECLINE&authcode=&transactionid=7893&avsresponse=&cvvresponse=&orderid=&type=sale&response_code=200", pay, form);
        err("encoding", "Payflow RESULT and RESPMSG=Declined", 200, TEXT, "RESULT=12&PNREF=A70A6C93B5B3&RESPMSG=Declined", pay, form);
        ok("encoding", "Payflow approved", 200, TEXT, "RESULT=0&PNREF=A70A6C93B5B4&RESPMSG=Approved");
        err("encoding", "status=error form body", 200, FORM, "status=error&message=Invalid+API+key", auth, form);
        ok("encoding", "plain prose is not a form", 200, TEXT, "The operation failed=no, see docs");
        ok("encoding", "plain JSON in text/plain stays unread", 200, TEXT, "{`ok`:false}");
        err("encoding", "UTF-8 BOM before JSON", 200, J, "\uFEFF{`ok`:false,`error`:`invalid_auth`}", auth, env);
        err("encoding", "docker pull progress ending in an error (application/json stream)", 200, J,
                "{`status`:`Pulling from library/nginx`,`id`:`latest`}\n{`status`:`Pulling fs layer`,`progressDetail`:{},`id`:`a2abf6c4d29d`}\n{`errorDetail`:{`message`:`manifest for nginx:nope not found: manifest unknown`},`error`:`manifest for nginx:nope not found: manifest unknown`}\n", nf, nd);
        ok("encoding", "docker pull progress ending well", 200, J,
                "{`status`:`Pulling from library/alpine`,`id`:`3.19`}\n{`status`:`Digest: sha256:abc`}\n{`status`:`Status: Downloaded newer image for alpine:3.19`}\n");
        err("encoding", "docker build stream error in x-ndjson", 200, "application/x-ndjson",
                "{`stream`:`Step 1/3 : FROM alpine`}\n{`errorDetail`:{`code`:1,`message`:`The command '/bin/sh -c false' returned a non-zero code: 1`},`error`:`The command '/bin/sh -c false' returned a non-zero code: 1`}\n", gen, nd);
        okCut("encoding", "x-ndjson cut inside the error line: the last complete line decides", 200, "application/x-ndjson",
                "{`status`:`Downloading`,`id`:`a`}\n{`status`:`Extracting`,`id`:`a`}\n{`errorDetail`:{`message`:`no spa");
        err("encoding", "XML with a BOM", 200, XML, "\uFEFF<?xml version=`1.0`?><rsp stat=`fail`><err code=`100` msg=`Invalid API Key`/></rsp>", auth, xml);

        // ---- types decided by the body before the status
        err("types", "AWS Query 400 Throttling", 400, XML,
                "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>", rate, xml);
        err("types", "Google API 403 rateLimitExceeded", 403, J,
                "{`error`:{`errors`:[{`domain`:`usageLimits`,`reason`:`rateLimitExceeded`,`message`:`Rate Limit Exceeded`}],`code`:403,`message`:`Rate Limit Exceeded`}}", rate, env);
        err("types", "OAuth 400 invalid_grant", 400, J, "{`error`:`invalid_grant`,`error_description`:`Token has been expired or revoked.`}", auth, env);
        err("types", "S3 503-style SlowDown at 400", 400, "application/xml",
                "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>", rate, xml);
        err("types", "DynamoDB 400 ProvisionedThroughputExceeded", 400, "application/x-amz-json-1.0",
                "{`__type`:`com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException`,`message`:`The level of configured provisioned throughput for the table was exceeded.`}", rate, problem);
        err("types", "EC2 400 RequestLimitExceeded", 400, J, "{`Error`:{`Code`:`RequestLimitExceeded`,`Message`:`Request limit exceeded.`}}", rate, env);
        err("types", "JSend fail", 200, J, "{`status`:`fail`,`data`:{`email`:`A valid email is required`}}", val, env);
        err("types", "success false, not found words", 200, J, "{`success`:false,`message`:`Customer not found`}", nf, env);
        err("types", "401 with a bad signature", 401, J, "{`error`:`invalid_request`,`error_description`:`The signature is invalid`}", auth, env);
        err("types", "400 decline", 400, J, "{`code`:`card_declined`,`message`:`Your card has insufficient funds.`}", pay, payment);

        // ---- more tricky negatives
        ok("negatives", "an authorization service's DENY decision is its answer", 200, J, "{`decision`:`DENY`,`reasons`:[`policy p1`]}");
        ok("negatives", "a list of login attempts with success:false", 200, J,
                "{`items`:[{`id`:`a1`,`user`:`ada`,`success`:false},{`id`:`a2`,`user`:`bob`,`success`:true}]}");
        ok("negatives", "an empty Errors element", 200, XML, "<GetOrderResponse><Errors></Errors><Order><Id>1</Id></Order></GetOrderResponse>");
        ok("negatives", "a self-closing Errors element", 200, XML, "<GetOrderResponse><Errors/><Order><Id>1</Id></Order></GetOrderResponse>");
        ok("negatives", "text/plain key=value dump", 200, TEXT, "version=1.4.2\nbuild=8812\nstatus=ok\n");
        ok("negatives", "a wrapper holding a list of search results", 200, J, "{`searchResult`:{`count`:0,`items`:[]}}");
        err("types", "429 stays a rate limit whatever the words", 429, J, "{`message`:`Quota exceeded for the billing account`}", rate, env);
        err("types", "400 card number required is validation", 400, J, "{`message`:`card_number is required`}", val, env);

        // ---- late additions: S/F statuses, numeric vendor statuses, meta wrappers, XML exception reports, item texts
        err("vendor", "an S/F/U resultStatus F inside a result wrapper", 200, J,
                "{`result`:{`resultCode`:`USER_BALANCE_NOT_ENOUGH`,`resultStatus`:`F`,`resultMessage`:`The user balance is not enough.`}}", pay, code);
        ok("vendor", "resultStatus S", 200, J, "{`result`:{`resultCode`:`SUCCESS`,`resultStatus`:`S`,`resultMessage`:`success`}}");
        err("vendor", "a numeric status that is a vendor code, with a message", 200, J, "{`status`:120,`message`:`per-second request limit reached`}", rate, code);
        ok("vendor", "a numeric status in the redirect range is not read as a vendor code", 200, J, "{`status`:302,`message`:`moved`}");
        ok("vendor", "status 1 with a message", 200, J, "{`status`:1,`message`:`ok`,`result`:[]}");
        ok("vendor", "status 0 with a message", 200, J, "{`status`:0,`message`:`query ok`,`result`:{`lat`:1}}");
        err("wrapper", "meta wrapper carrying the code and error", 200, J,
                "{`meta`:{`code`:403,`error`:{`type`:`keyIsBlocked`,`message`:`Key is blocked`}}}", auth, env);
        ok("wrapper", "meta wrapper with code 200", 200, J, "{`meta`:{`code`:200,`api_version`:`3`},`result`:{`items`:[]}}");
        err("wrapper", "a gateway error-response wrapper", 200, J, "{`gw_err_resp`:{`err_msg`:`token expired`,`err_code`:4203}}", auth, env);
        // Issue 14, generalisation pass: each reading below is a principle, not a vendor.
        err("payment", "a refusal message beside a result code that is not a success value", 200, J,
                "{`id`:`t1`,`result`:{`code`:`900.300.12`,`description`:`Transaction declined by the issuer`}}", pay, payment);
        ok("payment", "an approval message beside a numeric response code", 200, FORM,
                "response=1&responsetext=APPROVED&response_code=100&transactionid=9");
        ok("payment", "a result held for review is not an outcome yet", 200, FORM, "RESULT=126&RESPMSG=Under review by fraud service");
        batch("batch", "a data list whose items report their own failure", 200, J,
                "{`data`:[{`status`:`ok`,`id`:`a1`},{`status`:`error`,`message`:`device token not found`}]}", nf, bat);
        batch("batch", "an errors list beside a count of created items", 200, J,
                "{`created`:[{`id`:`u1`}],`errors`:[{`email`:`x@`,`error`:`email is invalid`}],`total_created`:1,`error_count`:1}", val, bat);
        batch("batch", "an errors list beside results that went through", 207, J,
                "{`results`:[{`id`:`9`,`properties`:{}}],`errors`:[{`status`:`error`,`message`:`Property is invalid`}]}", val, bat);
        err("batch", "failed entries and an empty success list: nothing went through", 200, J,
                "{`Failed`:[{`Id`:`1`,`Code`:`InvalidParameter`,`Message`:`too long`}],`Successful`:[]}", val, bat);
        partial("batch", "a describe whose failures only name missing items is a partial read", 200, J,
                "{`clusters`:[{`clusterArn`:`arn:x:1`,`status`:`ACTIVE`}],`failures`:[{`arn`:`arn:x:2`,`reason`:`MISSING`}]}");
        batch("batch", "items whose own result carries errors", 200, J,
                "[{`id`:`o1`,`result`:{}},{`id`:`o2`,`result`:{`errors`:{`error`:[{`message`:`property is invalid`}]}}}]", val, bat);
        batch("batch", "a JSON-RPC batch mixing results and errors", 200, J,
                "[{`jsonrpc`:`2.0`,`result`:3,`id`:1},{`jsonrpc`:`2.0`,`error`:{`code`:-32601,`message`:`Method not found`},`id`:2}]", nf, bat);
        batch("batch", "a multipart batch with a 404 part", 200, "multipart/mixed; boundary=b1",
                "--b1\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n\r\n{}\r\n--b1\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 404 Not Found\r\n\r\n{`error`:{`message`:`No such object`}}\r\n--b1--", nf, bat);
        err("batch", "a multipart batch whose only part failed", 202, "multipart/mixed; boundary=b1",
                "--b1\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 400 Bad Request\r\n\r\n{`error`:`missing required field`}\r\n--b1--", val, bat);
        ok("batch", "a multipart batch whose parts all succeeded", 200, "multipart/mixed; boundary=b1",
                "--b1\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n--b1--");
        err("envelope", "a 4xx whose plain-text body names the failure", 401, TEXT, "session token expired", auth, env);
        ok("envelope", "a 4xx HTML page is not read as words", 404, "text/html", "<html><body>Not Found</body></html>");
        err("envelope", "a list of error codes beside success false", 200, J, "{`success`:false,`error-codes`:[`invalid-input-secret`]}", auth, env);
        ok("envelope", "an empty result in its own words", 200, J, "{`meta`:{`code`:404,`error`:{`type`:`itemNotFound`,`message`:`No results found`}}}");
        err("vendor", "an isv. string code beside a message", 200, J, "{`Code`:`isv.INVALID_PARAMETERS`,`Message`:`parameter is invalid`,`RequestId`:`r1`}", val, env);
        ok("graphql", "an automatic persisted query miss is a protocol step", 200, J,
                "{`errors`:[{`message`:`PersistedQueryNotFound`,`extensions`:{`code`:`PERSISTED_QUERY_NOT_FOUND`}}]}");
        err("graphql", "a code naming validation outright decides over prose saying not found", 200, J,
                "{`errors`:[{`message`:`field 'x' not found in type 'Query'`,`extensions`:{`code`:`validation-failed`}}]}", val, env);
        err("xml", "a payment decision REJECT in XML", 200, XML,
                "<replyMessage><requestID>1</requestID><decision>REJECT</decision><reasonCode>204</reasonCode></replyMessage>", pay, xml);
        err("xml", "a gateway message DECLINED", 200, XML, "<response><result>101</result><message>DECLINED</message></response>", pay, xml);
        ok("xml", "a result code FAIL whose err_code says the user is still paying", 200, XML,
                "<xml><return_code>SUCCESS</return_code><result_code>FAIL</result_code><err_code>USERPAYING</err_code></xml>");
        ok("xml", "an error element that says there are no records", 200, XML,
                "<OAI-PMH><request verb=`ListRecords`/><error code=`noRecordsMatch`>No records match</error></OAI-PMH>");
        err("ndjson", "a watch stream whose last event is an ERROR", 200, "application/x-ndjson",
                "{`type`:`ADDED`,`object`:{`kind`:`Pod`}}\n{`type`:`ERROR`,`object`:{`kind`:`Status`,`status`:`Failure`,`code`:410}}\n", gen, nd);
        err("vendor", "an `Error Message` key with a space", 200, J, "{`Error Message`:`Invalid API call. Please retry.`}", val, env);
        err("xml", "OGC ExceptionReport document", 200, "application/xml",
                "<?xml version=`1.0`?><ows:ExceptionReport xmlns:ows=`http://www.opengis.net/ows/1.1` version=`2.0.0`><ows:Exception exceptionCode=`InvalidParameterValue` locator=`typeName`><ows:ExceptionText>Unknown type</ows:ExceptionText></ows:Exception></ows:ExceptionReport>", val, xml);
        err("xml", "CAS serviceResponse authenticationFailure", 200, "application/xml",
                "<cas:serviceResponse xmlns:cas=`http://www.yale.edu/tp/cas`><cas:authenticationFailure code=`INVALID_TICKET`>Ticket ST-1 not recognized</cas:authenticationFailure></cas:serviceResponse>", auth, xml);
        ok("xml", "CAS serviceResponse authenticationSuccess", 200, "application/xml",
                "<cas:serviceResponse xmlns:cas=`http://www.yale.edu/tp/cas`><cas:authenticationSuccess><cas:user>ada</cas:user></cas:authenticationSuccess></cas:serviceResponse>");
        err("batch", "SMS messages list with an error-text item", 200, J,
                "{`message-count`:`1`,`messages`:[{`to`:`447700900000`,`status`:`4`,`error-text`:`Bad Credentials`}]}", auth, bat);
        ok("batch", "SMS messages list, all sent", 200, J,
                "{`message-count`:`1`,`messages`:[{`to`:`447700900000`,`message-id`:`0A0000000123ABCD1`,`status`:`0`}]}");
        batch("batch", "a top-level array of send results with a non-zero ErrorCode", 200, J,
                "[{`ErrorCode`:0,`Message`:`OK`,`MessageID`:`b7bc2f4a`},{`ErrorCode`:406,`Message`:`You tried to send to a recipient that has been marked as inactive.`}]", val, bat);

        // ---- outcome of this request: in progress, empty, null
        ok("negatives", "pending", 200, J, "{`status`:`pending`}");
        ok("negatives", "processing job", 202, J, "{`status`:`processing`,`id`:`job_1`}");
        ok("negatives", "queued", 200, J, "{`state`:`queued`}");
        ok("negatives", "in_progress", 200, J, "{`status`:`in_progress`}");
        ok("negatives", "waiting", 200, J, "{`status`:`waiting`}");
        ok("negatives", "zero results", 200, J, "{`status`:`ZERO_RESULTS`,`results`:[]}");
        ok("negatives", "empty errors beside data", 200, J, "{`errors`:[],`data`:{`items`:[]}}");
        ok("negatives", "error null beside a result list", 200, J, "{`error`:null,`result`:[]}");
        ok("negatives", "an error count is a statistic", 200, J, "{`error_count`:3,`errorRate`:0.5}");
    }

    static List<Case> cases() {
        return List.copyOf(CASES);
    }

    @Test
    void everyFamilyCaseHasItsVerdict() {
        Map<String, int[]> tallies = new TreeMap<>(); // tp, fp, fn, tn, typed, typedRight
        List<String> misses = new ArrayList<>();
        for (Case k : CASES) {
            Verdict v = c.classify(new ResponseSample(null, k.status(), k.contentType(), null,
                    k.body().getBytes(StandardCharsets.UTF_8), k.truncated()));
            int[] t = tallies.computeIfAbsent(k.group(), g -> new int[6]);
            boolean expected = k.type() != null;
            boolean got = v instanceof Verdict.BusinessError;
            t[expected ? (got ? 0 : 2) : (got ? 1 : 3)]++;
            String what = k.group() + " / " + k.source() + " -> " + v.toJson();
            if (expected != got) {
                misses.add((got ? "false positive: " : "false negative: ") + what);
            }
            if (expected && got) {
                Verdict.BusinessError e = (Verdict.BusinessError) v;
                t[4]++;
                if (e.type() == k.type()) {
                    t[5]++;
                } else {
                    misses.add("type " + k.type().label() + " expected: " + what);
                }
                if (e.family() != k.family() || e.batchPartial() != k.batch()) {
                    misses.add("family " + k.family().label() + " batch " + k.batch() + " expected: " + what);
                }
            }
            if (k.partial() != (v instanceof Verdict.PartialSuccess)) {
                misses.add("partial " + k.partial() + " expected: " + what);
            }
            if (v.silent() != (k.status() >= 200 && k.status() < 300)) {
                misses.add("silent: " + what);
            }
        }
        int[] all = new int[6];
        tallies.forEach((group, t) -> {
            for (int i = 0; i < 6; i++) {
                all[i] += t[i];
            }
            print(group, t);
        });
        print("all", all);
        misses.forEach(m -> System.out.println("  " + m));
        assertThat(CASES).hasSizeGreaterThan(100);
        assertThat(misses).isEmpty();
    }

    private static void print(String group, int[] t) {
        System.out.printf(Locale.ROOT, "families %-10s cases=%3d tp=%d fp=%d fn=%d tn=%d precision=%.3f recall=%.3f type=%d/%d%n",
                group, t[0] + t[1] + t[2] + t[3], t[0], t[1], t[2], t[3], t[0] / (double) Math.max(1, t[0] + t[1]),
                t[0] / (double) Math.max(1, t[0] + t[2]), t[5], t[4]);
    }

    @Test
    void verdictJsonNamesTheFamilyAndTheBatchFlag() {
        Verdict v = c.classify(Samples.json(200, "{\"took\":1,\"errors\":true,\"items\":[{\"index\":{\"_id\":\"0\",\"status\":201}},"
                + "{\"index\":{\"_id\":\"1\",\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\"}}}]}"));
        assertThat(v.toJson()).isEqualTo("{\"business_error\":true,\"error_type\":\"validation\",\"severity\":\"medium\","
                + "\"silent\":true,\"partial_success\":true,\"family\":\"batch\",\"batch_partial\":true}");
        Verdict allFailed = c.classify(Samples.json(200, "{\"took\":1,\"errors\":true,\"items\":[{\"index\":{\"_id\":\"1\",\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\"}}}]}"));
        assertThat(allFailed.toJson()).as("every item read failed: not partial").isEqualTo("{\"business_error\":true,\"error_type\":\"validation\",\"severity\":\"medium\","
                + "\"silent\":true,\"partial_success\":false,\"family\":\"batch\",\"batch_partial\":false}");
        assertThat(c.classify(Samples.json(200, "{\"ok\":true}")).toJson()).isEqualTo("{\"business_error\":false,"
                + "\"error_type\":null,\"severity\":null,\"silent\":true,\"partial_success\":false,\"family\":null,\"batch_partial\":false}");
    }

    @Test
    void batchItemsAreBoundedAndCutListsJudgedOnWhatArrived() {
        StringBuilder many = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 500; i++) {
            many.append(i > 0 ? "," : "").append("{\"index\":{\"_id\":\"").append(i).append("\",\"status\":201}}");
        }
        many.append(",{\"index\":{\"_id\":\"x\",\"status\":400,\"error\":{\"type\":\"boom\"}}}]}");
        assertThat(c.classify(Samples.json(200, many.toString()))).as("a failure past the item bound is not read").isEqualTo(Samples.OK);
        String cut = "{\"took\":1,\"items\":[{\"index\":{\"_id\":\"0\",\"status\":201}},{\"index\":{\"_id\":\"1\",\"status\":400,\"error\":{\"type\":\"x\"}}},{\"index\":{\"_id\":\"2\",\"st";
        Verdict v = c.classify(new ResponseSample(null, 200, J, null, cut.getBytes(StandardCharsets.UTF_8), true));
        assertThat(v).isInstanceOf(Verdict.BusinessError.class);
        assertThat(((Verdict.BusinessError) v).batchPartial()).isTrue();
    }
}
