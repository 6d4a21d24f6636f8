package io.weft.bench.bareservlet;

import java.io.IOException;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code POST /bench/greet} with {@code {"name": "Ada"}} returns the same JSON as the hello
 * app's greet operation, with neither authentication nor authorization. It is the anchor
 * that the Edge API benchmark compares the Edge API with.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/bench/greet")
public class BareGreetServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object name;
        try {
            name = MAPPER.readValue(request.getInputStream().readAllBytes(), Map.class).get("name");
        } catch (JsonProcessingException e) {
            response.sendError(400, "The body is not JSON");
            return;
        }
        if (!(name instanceof String text) || text.isBlank()) {
            response.sendError(400, "The field 'name' is missing");
            return;
        }
        byte[] body = MAPPER.writeValueAsBytes(Map.of("greeting", "Hello, " + text.strip() + "!",
                "caller", "client:anonymous"));
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
