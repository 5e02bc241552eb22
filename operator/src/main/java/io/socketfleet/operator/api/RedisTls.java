package io.socketfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** TLS to an external Redis (and its Sentinels): whom the nodes trust, and the certificate they present. */
@ValidationRule(value = "!(has(self.caSecret) && has(self.caConfigMap))",
        message = "redis.external.tls: give the CA bundle in caSecret or caConfigMap, not both")
public class RedisTls {

    @JsonPropertyDescription("Secret key holding the PEM CA bundle that signs Redis's certificate (default: the JVM's trusted CAs).")
    private SecretKeyRef caSecret;

    @JsonPropertyDescription("ConfigMap key holding the PEM CA bundle, instead of caSecret.")
    private ConfigMapKeyRef caConfigMap;

    @JsonPropertyDescription("A kubernetes.io/tls Secret (tls.crt, tls.key) with the client certificate, "
            + "for a Redis that requires one (tls-auth-clients yes).")
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    private String clientCertSecret;

    @JsonPropertyDescription("Require Redis's certificate to name the host dialled; turn off only when Sentinels "
            + "report addresses the certificate does not name.")
    @Default("true")
    private boolean verifyHostname = true;

    public SecretKeyRef getCaSecret() {
        return caSecret;
    }

    public void setCaSecret(SecretKeyRef caSecret) {
        this.caSecret = caSecret;
    }

    public ConfigMapKeyRef getCaConfigMap() {
        return caConfigMap;
    }

    public void setCaConfigMap(ConfigMapKeyRef caConfigMap) {
        this.caConfigMap = caConfigMap;
    }

    public String getClientCertSecret() {
        return clientCertSecret;
    }

    public void setClientCertSecret(String clientCertSecret) {
        this.clientCertSecret = clientCertSecret;
    }

    public boolean isVerifyHostname() {
        return verifyHostname;
    }

    public void setVerifyHostname(boolean verifyHostname) {
        this.verifyHostname = verifyHostname;
    }
}
