package io.socketfleet.operator.reconciler;

import java.util.Optional;

/** Asks one running nginx which config it serves (the id its /nginx-healthz names). */
public interface NginxConfigProbe {

    /** The config id the nginx at this address answers with; empty when it does not answer or names none. */
    Optional<String> configId(String podIp, int port);
}
