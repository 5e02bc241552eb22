package io.socketfleet.bench;

/** One benchmark scenario; it adds its figures to the results. */
interface Scenario {

    String name();

    void run(Settings settings, Results results) throws Exception;
}
