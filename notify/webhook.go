package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Standard Webhooks headers.
const (
	HeaderWebhookID        = "webhook-id"
	HeaderWebhookTimestamp = "webhook-timestamp"
	HeaderWebhookSignature = "webhook-signature"
)

// DefaultWebhookTimeout bounds one webhook request.
const DefaultWebhookTimeout = 10 * time.Second

// DefaultVerifyTolerance is how far a webhook timestamp may be from the
// receiver's clock, either way.
const DefaultVerifyTolerance = 5 * time.Minute

// secretPrefix marks a base64-encoded Standard Webhooks secret.
const secretPrefix = "whsec_"

// WebhookConfig configures one webhook endpoint. Each endpoint is its own
// sink, delivered independently of the others.
type WebhookConfig struct {
	// Name identifies the endpoint in the outbox; it must be unique and
	// stable. Default: "webhook:" + the URL's host.
	Name string
	URL  string
	// Secret signs requests: "whsec_<base64>" (decoded) or any other
	// string, used as raw bytes. Empty sends no signature.
	Secret string
	// Timeout bounds one request (default DefaultWebhookTimeout).
	Timeout time.Duration
	// Client sends requests (default: a client with no overall timeout;
	// Timeout above applies per request).
	Client *http.Client
}

// WebhookSink posts events as signed JSON (CloudEvents structured mode).
type WebhookSink struct {
	name    string
	url     string
	host    string
	secret  []byte
	timeout time.Duration
	client  *http.Client
	now     func() time.Time
}

// NewWebhookSink checks cfg and returns its sink.
func NewWebhookSink(cfg WebhookConfig) (*WebhookSink, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, errors.New("parse webhook URL: invalid URL") // the URL may hold a token: do not echo it
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("parse webhook URL: want http(s)://host/..., got scheme %q", u.Scheme)
	}
	var secret []byte
	if cfg.Secret != "" {
		if secret, err = ParseSecret(cfg.Secret); err != nil {
			return nil, err
		}
	}
	s := &WebhookSink{
		name:    cfg.Name,
		url:     cfg.URL,
		host:    u.Host,
		secret:  secret,
		timeout: cfg.Timeout,
		client:  cfg.Client,
		now:     time.Now,
	}
	if s.name == "" {
		s.name = "webhook:" + u.Host
	}
	if s.timeout <= 0 {
		s.timeout = DefaultWebhookTimeout
	}
	if s.client == nil {
		s.client = &http.Client{}
	}
	return s, nil
}

// Name returns the endpoint's name.
func (s *WebhookSink) Name() string { return s.name }

// Send posts e. Any 2xx answer is success; anything else is an error.
func (s *WebhookSink) Send(ctx context.Context, e Event) error {
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build request to webhook %s: %w", s.name, redactURLError(err))
	}
	req.Header.Set("Content-Type", "application/cloudevents+json; charset=utf-8")
	req.Header.Set("User-Agent", "driftwatch")
	req.Header.Set("ce-id", e.ID) // lets receivers log the id without parsing
	if s.secret != nil {
		ts := s.now()
		req.Header.Set(HeaderWebhookID, e.ID)
		req.Header.Set(HeaderWebhookTimestamp, strconv.FormatInt(ts.Unix(), 10))
		req.Header.Set(HeaderWebhookSignature, sign(s.secret, e.ID, ts.Unix(), body))
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("post to webhook %s: %w", s.name, redactURLError(err))
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := strings.TrimSpace(string(snippet))
		if len(msg) > 200 {
			msg = msg[:200]
		}
		return fmt.Errorf("post to webhook %s: status %d: %s", s.name, resp.StatusCode, msg)
	}
	return nil
}

// redactURLError drops the URL from net/http errors: webhook URLs often
// carry tokens.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

// ParseSecret decodes a webhook secret: "whsec_<base64>" is decoded, any
// other string is used as raw bytes.
func ParseSecret(secret string) ([]byte, error) {
	if secret == "" {
		return nil, errors.New("parse webhook secret: empty")
	}
	if rest, ok := strings.CutPrefix(secret, secretPrefix); ok {
		b, err := base64.StdEncoding.DecodeString(rest)
		if err != nil {
			return nil, errors.New("parse webhook secret: whsec_ secret is not valid base64")
		}
		if len(b) == 0 {
			return nil, errors.New("parse webhook secret: whsec_ secret is empty")
		}
		return b, nil
	}
	return []byte(secret), nil
}

// Sign returns the webhook-signature header value ("v1,<base64>") for the
// message id, timestamp and body, as Standard Webhooks defines it.
func Sign(secret, id string, ts time.Time, body []byte) (string, error) {
	key, err := ParseSecret(secret)
	if err != nil {
		return "", err
	}
	return sign(key, id, ts.Unix(), body), nil
}

func sign(key []byte, id string, unix int64, body []byte) string {
	return "v1," + base64.StdEncoding.EncodeToString(mac(key, id, unix, body))
}

func mac(key []byte, id string, unix int64, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(strconv.FormatInt(unix, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Errors of Verify.
var (
	ErrMissingHeaders  = errors.New("verify webhook: missing webhook-id, webhook-timestamp or webhook-signature")
	ErrBadTimestamp    = errors.New("verify webhook: timestamp is not unix seconds")
	ErrTimestampTooOld = errors.New("verify webhook: timestamp too old")
	ErrTimestampTooNew = errors.New("verify webhook: timestamp too far in the future")
	ErrBadSignature    = errors.New("verify webhook: no matching signature")
)

// Verify checks a received webhook: its signature against secret and its
// timestamp within DefaultVerifyTolerance of now.
func Verify(secret string, h http.Header, body []byte) error {
	return VerifyAt(secret, h, body, time.Now(), DefaultVerifyTolerance)
}

// VerifyAt is Verify with an explicit clock and tolerance.
func VerifyAt(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	key, err := ParseSecret(secret)
	if err != nil {
		return err
	}
	id, tsText, sigs := h.Get(HeaderWebhookID), h.Get(HeaderWebhookTimestamp), h.Get(HeaderWebhookSignature)
	if id == "" || tsText == "" || sigs == "" {
		return ErrMissingHeaders
	}
	unix, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return ErrBadTimestamp
	}
	ts := time.Unix(unix, 0)
	if now.Sub(ts) > tolerance {
		return ErrTimestampTooOld
	}
	if ts.Sub(now) > tolerance {
		return ErrTimestampTooNew
	}
	want := mac(key, id, unix, body)
	for _, sig := range strings.Fields(sigs) {
		version, value, ok := strings.Cut(sig, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(value)
		if err != nil {
			continue
		}
		if subtle.ConstantTimeCompare(got, want) == 1 {
			return nil
		}
	}
	return ErrBadSignature
}
