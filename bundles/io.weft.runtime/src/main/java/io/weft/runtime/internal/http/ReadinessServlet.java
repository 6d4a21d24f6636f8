package io.weft.runtime.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.weft.runtime.Readiness;
import io.weft.runtime.ReadinessReport;
import io.weft.runtime.internal.ReportJson;

/**
 * Serves {@value #PATH}: the readiness report as JSON, with status 200 when the process is
 * ready and 503 until then. Load balancers, service managers and the test harness poll it.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("weft-readiness")
@HttpWhiteboardServletPattern(ReadinessServlet.PATH)
public class ReadinessServlet extends HttpServlet {

    public static final String PATH = "/health/ready";

    private static final long serialVersionUID = 1L;

    private final transient Readiness readiness;

    @Activate
    public ReadinessServlet(@Reference Readiness readiness) {
        this.readiness = readiness;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        ReadinessReport report = readiness.evaluate();
        byte[] body = ReportJson.write(report).getBytes(StandardCharsets.UTF_8);

        response.setStatus(report.ready()
                ? HttpServletResponse.SC_OK
                : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
