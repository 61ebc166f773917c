package io.pgdbm.it.shop;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A failed call answers 409 with the exception's class and message, for the tests to read. */
@Provider
public class Failures implements ExceptionMapper<RuntimeException> {

    @Override
    public Response toResponse(RuntimeException exception) {
        if (exception instanceof WebApplicationException web) {
            return web.getResponse();
        }
        return Response.status(Response.Status.CONFLICT).type(MediaType.TEXT_PLAIN_TYPE)
                .entity(exception.getClass().getName() + ": " + exception.getMessage()).build();
    }
}
