/**
 * The loopback HTTP gateway of the local runtime: what API Gateway's HTTP API is on AWS. It listens on
 * {@code 127.0.0.1}, turns each HTTP request into the API Gateway payload 2.0 event a Lambda would get, routes it by
 * method and path to the in-process handler that owns the route (registry API, inference, feedback), and turns the
 * handler's response back into HTTP. Built on the JDK's {@code com.sun.net.httpserver}: no web framework.
 */
package io.modelcycle.local.gateway;
