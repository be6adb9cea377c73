# syntax=docker/dockerfile:1
#
# driftwatch: a static binary on distroless, running as a non-root user.
#   docker build -t driftwatch .
#   docker run --rm driftwatch version

FROM golang:1.26 AS build
WORKDIR /src
# Dependencies first, so code changes do not re-download them.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
        -ldflags="-s -w -X main.version=${VERSION}" \
        -o /out/driftwatch ./cmd/driftwatch

# static-debian12 has CA certificates (https webhooks, tls:// NATS) and
# /etc/passwd with the nonroot user (65532); the binary embeds time zones.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/driftwatch /usr/local/bin/driftwatch
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/driftwatch"]
CMD ["watch", "--config", "/etc/driftwatch/driftwatch.yaml"]
