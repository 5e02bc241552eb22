package io.socketfleet.node.engineio;

import io.socketfleet.node.http.Responder;

/** For ArchitectureTest only: an Engine.IO class that depends on the http layer above it, which the layering forbids. */
public final class BackwardImportFixture {

    Responder reply;
}
