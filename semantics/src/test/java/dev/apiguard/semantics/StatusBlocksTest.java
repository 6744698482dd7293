package dev.apiguard.semantics;

import static dev.apiguard.semantics.Samples.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Where an answer keeps its status: a body's sole object (named after its operation), an OCS-style
 * {@code meta} block, a {@code status} object, S/F/U states, message lists, and the XML counterparts
 * (a failure flag element, a numeric code beside a message, a refusal in any {@code *_message}).
 */
class StatusBlocksTest {
    private static final Verdict OK = new Verdict.Ok(true);
    private final Classifier c = Classifiers.builtIn();

    private Verdict.BusinessError error(ResponseSample sample) {
        Verdict v = c.classify(sample);
        assertThat(v).isInstanceOf(Verdict.BusinessError.class);
        return (Verdict.BusinessError) v;
    }

    private static ResponseSample xml(String body) {
        return Samples.of(200, "text/xml", body);
    }

    @Test
    void aSoleObjectIsTheWrapperOnItsClearestSignals() {
        Verdict.BusinessError batch = error(json(201, "{\"SMSMessageData\":{\"Message\":\"Sent to 0/1\",\"Recipients\":"
                + "[{\"statusCode\":405,\"number\":\"+2547\",\"status\":\"InsufficientBalance\"}]}}"));
        assertThat(batch.family()).isEqualTo(Verdict.Family.BATCH);
        Verdict.BusinessError ocs = error(json(200, "{\"ocs\":{\"meta\":{\"status\":\"failure\",\"statuscode\":998,"
                + "\"message\":\"User does not exist\"},\"data\":[]}}"));
        assertThat(ocs.type()).isEqualTo(ErrorType.NOT_FOUND);
        assertThat(c.classify(json(200, "{\"ocs\":{\"meta\":{\"status\":\"ok\",\"statuscode\":100,\"message\":\"OK\"},"
                + "\"data\":{\"id\":\"u1\"}}}"))).isEqualTo(OK);
        // An error text or a __type alone in a sole object may be its payload's data; a sibling ends the reading.
        assertThat(c.classify(json(200, "{\"tracking_data\":{\"track_status\":0,\"error\":\"no activity yet\"}}"))).isEqualTo(OK);
        assertThat(c.classify(json(200, "{\"d\":{\"__type\":\"Lib.GetWalletResult\",\"WALLET\":{\"ID\":\"8\"},\"E\":null}}"))).isEqualTo(OK);
        assertThat(c.classify(json(200, "{\"ocs\":{\"meta\":{\"status\":\"failure\",\"statuscode\":998,\"message\":\"x\"}},"
                + "\"other\":1}"))).isEqualTo(OK);
    }

    @Test
    void aStatusObjectSpeaksForTheBody() {
        assertThat(error(json(200, "{\"status\":{\"code\":200,\"errorcode\":97,\"message\":\"Error in action\"},"
                + "\"response\":{\"results\":[]}}")).family()).isEqualTo(Verdict.Family.VENDOR_CODE);
        assertThat(c.classify(json(200, "{\"status\":{\"code\":200,\"errorcode\":0,\"message\":\"OK\"},\"response\":{}}")))
                .isEqualTo(OK);
        assertThat(c.classify(json(200, "{\"status\":{\"indicator\":\"none\",\"description\":\"All Systems Operational\"}}")))
                .isEqualTo(OK);
    }

    @Test
    void outcomeStatesAndMessageLists() {
        assertThat(error(json(200, "{\"TXN_STATUS\":\"F\",\"USR_CODE\":\"102\",\"USR_MSG\":\"Transaction Declined - Refer Bank\","
                + "\"MERCHANT_TRANID\":\"ord-1\"}")).type()).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(c.classify(json(200, "{\"TXN_STATUS\":\"S\",\"USR_MSG\":\"Success\",\"MERCHANT_TRANID\":\"ord-1\"}"))).isEqualTo(OK);
        assertThat(error(json(200, "{\"status\":\"failure\",\"data\":{},\"job_id\":1,\"msgs\":[{\"INFO\":\"login: "
                + "Credentials you entered did not match\",\"LEVEL\":\"ERROR\"}]}")).type()).isEqualTo(ErrorType.AUTH_FAILURE);
    }

    @Test
    void xmlFlagsCodesBesideMessagesAndRefusals() {
        assertThat(error(xml("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><TrackResponse>"
                + "<Notifications><Notification><Code>ERR01</Code><Message>Invalid Client Info</Message></Notification>"
                + "</Notifications><HasErrors>true</HasErrors></TrackResponse></s:Body></s:Envelope>")).family())
                .isEqualTo(Verdict.Family.XML);
        assertThat(c.classify(xml("<TrackResponse><HasErrors>false</HasErrors><Results/></TrackResponse>"))).isEqualTo(OK);
        assertThat(error(xml("<E><Error></Error><Code>120</Code><Msg>Mobile number format unknown</Msg></E>")).type())
                .isEqualTo(ErrorType.VALIDATION);
        assertThat(c.classify(xml("<E><Code>0</Code><Msg>done</Msg></E>"))).isEqualTo(OK);
        assertThat(c.classify(xml("<country><code>120</code><name>x</name></country>"))).as("a code with no message is data").isEqualTo(OK);
        assertThat(error(xml("<response timestamp=\"1\"><result>505</result><message>SHA1 hash incorrect</message></response>"))
                .type()).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(c.classify(xml("<response><result>00</result><message>[ test system ] AUTHORISED</message></response>"))).isEqualTo(OK);
        assertThat(error(xml("<txn><ssl_result>1</ssl_result><ssl_result_message>DECLINED</ssl_result_message></txn>")).type())
                .isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(error(xml("<?xml version=\"1.0\"?><ocs><meta><status>failure</status><statuscode>998</statuscode>"
                + "<message>The requested share does not exist</message></meta><data/></ocs>")).type()).isEqualTo(ErrorType.NOT_FOUND);
        assertThat(c.classify(xml("<ocs><meta><status>ok</status><statuscode>100</statuscode><message>OK</message></meta></ocs>")))
                .isEqualTo(OK);
    }
}
