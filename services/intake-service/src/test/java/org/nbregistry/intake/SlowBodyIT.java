package org.nbregistry.intake;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.intake.fhir.FhirExamples;
import org.nbregistry.local.infra.RealInfrastructureResource;
import org.nbregistry.support.http.HttpLimits;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The slow-body rules over real sockets (test profile: body-idle-timeout 3 s, body-timeout 20 s): a client that stops
 * mid-body or never sends the body it announced gets a 408 problem document and the connection closes; a client that
 * sends slowly but steadily is served however long it takes within the overall limit; and a body the service itself
 * is slow to read (here: a slow authentication step) is never taken for a slow client.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class SlowBodyIT {

    private static final String SITE = "SLOWBODY";

    @Inject
    HttpLimits limits;

    @Test
    void aClientThatStopsMidBodyGets408AndTheConnectionCloses() throws Exception {
        byte[] body = followUp("FU-STALL");
        try (Socket socket = RawHttp.connect(RestAssured.port, RawHttp.DEADLINE_MS)) {
            write(socket, head(TestTokens.site(SITE), body.length));
            socket.getOutputStream().write(body, 0, body.length / 2);
            socket.getOutputStream().flush();
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            assertRawProblem(answer, 408, "stopped arriving");
            assertEquals("close", answer.headers().get("connection"));
            assertClosed(socket.getInputStream());
        }
    }

    @Test
    void aBodyOfWhichNothingComesGets408AtTheOverallLimit() throws Exception {
        int deadline = (int) limits.bodyTimeout().toMillis() + RawHttp.DEADLINE_MS;
        try (Socket socket = RawHttp.connect(RestAssured.port, deadline)) {
            write(socket, head(TestTokens.site(SITE), 120));
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            assertRawProblem(answer, 408, "did not arrive completely");
            assertClosed(socket.getInputStream());
        }
    }

    @Test
    void aClientThatSendsSlowlyButSteadilyIsServed() throws Exception {
        byte[] body = followUp("FU-DRIBBLE");
        long gap = limits.bodyIdleTimeout().toMillis() / 3;
        // More pauses than fit into the idle timeout, fewer than into the overall limit.
        int pieces = (int) (2 * limits.bodyIdleTimeout().toMillis() / gap) + 2;
        assertTrue(pieces * gap < limits.bodyTimeout().toMillis() / 2, "the test's pieces fit the overall limit");
        try (Socket socket = RawHttp.connect(RestAssured.port, RawHttp.DEADLINE_MS)) {
            write(socket, head(TestTokens.site(SITE), body.length));
            OutputStream out = socket.getOutputStream();
            int size = (body.length + pieces - 1) / pieces;
            for (int from = 0; from < body.length; from += size) {
                Thread.sleep(gap);
                out.write(Arrays.copyOfRange(body, from, Math.min(body.length, from + size)));
                out.flush();
            }
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            assertEquals(202, answer.status(), answer.toString());
        }
    }

    @Test
    void aBodyTheServiceIsSlowToReadIsNotTakenForASlowClient() throws Exception {
        assertTrue(SlowAuthentication.DELAY_MILLIS > 2 * limits.bodyIdleTimeout().toMillis()
                && SlowAuthentication.DELAY_MILLIS < limits.bodyTimeout().toMillis() / 2, "the delay is between the limits");
        byte[] body = followUp("FU-SLOWAUTH");
        RawHttp.Answer answer = RawHttp.send(RestAssured.port, head(TestTokens.site(SITE, SlowAuthentication.SUBJECT), body.length), body);
        assertEquals(202, answer.status(), answer.toString());
    }

    @Test
    void aBodyThatHasArrivedIsNotTimedWhileTheServiceWorksOnIt() throws Exception {
        // The first FHIR bundle waits for the R4 definitions to load, far longer than the idle limit.
        String bundle = FhirExamples.bundle(SITE, "PSN-SLOWBODY-FHIR");
        long started = System.nanoTime();
        RestAssured.given().auth().oauth2(TestTokens.site(SITE, "fhir@test")).contentType("application/fhir+json").body(bundle)
                .post("/fhir/Bundle").then().statusCode(202);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis > limits.bodyIdleTimeout().toMillis(), "the service worked on the bundle longer than the idle limit: " + tookMillis + " ms");
    }

    private static byte[] followUp(String recordId) {
        return ("{\"recordId\":\"" + recordId + "\",\"patientPseudonym\":\"PSN-SLOWBODY\",\"date\":\"2022-08-01\",\"vitalStatus\":\"alive\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String head(String token, int contentLength) {
        return "POST /v1/follow-ups HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: Bearer " + token
                + "\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    private static void write(Socket socket, String head) throws IOException {
        socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static void assertRawProblem(RawHttp.Answer answer, int status, String detail) {
        assertEquals(status, answer.status(), answer.toString());
        Problems.assertProblem(status, answer.headers().get("content-type"), answer.body(), "HTTP " + status);
        assertTrue(answer.body().contains(detail), answer.body());
    }

    /** The server closes the connection after its answer: end of stream (or a reset), not a wait. */
    private static void assertClosed(InputStream in) {
        try {
            assertEquals(-1, in.read(), "nothing after the answer");
        } catch (SocketTimeoutException open) {
            fail("the connection stayed open after the answer");
        } catch (IOException reset) {
            // A reset is a close too.
        }
    }
}
