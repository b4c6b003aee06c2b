package org.nbregistry.treatment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.EndpointSecurity;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Patient files are for operators: on every endpoint the service documents, no, invalid or expired token → 401, a
 * site's or an analyst's token → 403, both as problem documents; an operator's token is let in. Health and the
 * OpenAPI document need no token.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,postgres"),
        @ResourceArg(name = RealInfrastructureResource.POSTGRES_DATABASE, value = "treatments")})
class SecurityIT {

    @TestHTTPResource("/")
    URI root;

    @Test
    void everyEndpointRefusesCallersWithoutAnOperatorsToken() {
        assertEquals(List.of(), EndpointSecurity.onlyRoleMayCall(root, TestTokens.operator(),
                Map.of("site", TestTokens.site("SEC-A"), "analyst", TestTokens.analyst()), Map.of()));
    }

    @Test
    void healthAndTheOpenApiDocumentNeedNoToken() {
        for (String open : List.of("/q/health/live", "/q/health/ready", "/q/openapi")) {
            assertEquals(200, EndpointSecurity.call(root, "GET", open, null).statusCode(), open);
        }
    }
}
