package library

// A git source keeps the library in a git repository and follows one branch
// of it. On disk, under the source's folder:
//
//	repo.git/         bare repository: objects and refs only, never scanned
//	trees/<commit>/   one complete checkout per commit (no .git inside)
//	current           symbolic link -> trees/<commit>: the library root
//	state.json        the last sync's status, for `cuecard status` and the tray
//
// A sync fetches the branch, writes the new commit's files into a temporary
// folder, renames it to trees/<commit> and then points current at it by
// renaming a new symbolic link over the old one (rename(2) is atomic), so a
// reader of current sees either the old tree or the new one, never a half
// checkout. The previous tree is kept until the next switch, so a reader
// that resolved current just before a switch can finish reading it. Files
// that did not change between the two commits are hard links to the previous
// tree's files, so they keep their modification time and the index does not
// parse them again.
//
// The branch is followed as a read-only mirror: a fast-forward is applied;
// when the remote history was rewritten (a force-push, or the branch moved
// back), the source follows the remote too, because a consumer of guides has
// no local changes to lose, and keeping an abandoned history would leave every
// reader stuck on outdated guides until someone repaired it by hand. The
// status carries a Notice saying what happened.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/cuecard/cuecard/internal/atomicfile"
)

// Git source tunables. They are variables so tests can shrink them.
var (
	// DefaultGitInterval is how often Run syncs when given no interval.
	DefaultGitInterval = 15 * time.Minute
	// GitRetry is the first wait after a failed sync in Run; it doubles
	// after each further failure, up to the interval.
	GitRetry = time.Minute
	// GitTimeout bounds one sync (network and checkout).
	GitTimeout = 10 * time.Minute
)

// ErrBranchNotFound is returned by Sync when the remote has no such branch.
var ErrBranchNotFound = errors.New("branch not found")

// GitStatus is what a git source last did. It is kept in the source's
// state.json, so it survives restarts and other processes can read it.
type GitStatus struct {
	// URL is the clone address without credentials.
	URL string `json:"url"`
	// Branch is the branch followed: the one asked for, or the remote's
	// default branch once a sync has resolved it.
	Branch string `json:"branch,omitempty"`
	// Commit is the commit of the working copy ("" before the first sync),
	// CommitTime its committer date and Subject its first message line.
	Commit     string    `json:"commit,omitempty"`
	CommitTime time.Time `json:"commit_time,omitzero"`
	Subject    string    `json:"subject,omitempty"`
	// LastSync is when the remote was last read successfully; LastAttempt
	// when a sync last started (successful or not).
	LastSync    time.Time `json:"last_sync,omitzero"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	// LastError is the last attempt's error, with what to do, or "" when it
	// succeeded. Credentials are never part of it.
	LastError string `json:"last_error,omitempty"`
	// Notice reports something unusual that the source handled, such as a
	// rewritten remote history; it stays until the working copy changes again.
	Notice string `json:"notice,omitempty"`
	// Ready is true when a working copy exists at Path (computed, not stored).
	Ready bool `json:"ready"`
	// Changed is true when this sync switched the working copy (not stored).
	Changed bool `json:"-"`
}

// GitSource is a library kept in a git repository. Its methods are safe for
// concurrent use; Sync calls run one at a time.
type GitSource struct {
	url    string // as given, possibly with credentials
	branch string // as asked for; "" follows the remote's default branch
	dir    string

	mu sync.Mutex // serialises Sync
}

// ParseGitURL recognises "git+https://...#branch", "git+ssh://...",
// "git+file://..." (and "git+http://") and returns the clone URL and the
// branch ("" means the remote's default branch). See ParseGitSource for an
// error that says what is wrong.
func ParseGitURL(s string) (cloneURL, branch string, ok bool) {
	cloneURL, branch, err := ParseGitSource(s)
	return cloneURL, branch, err == nil
}

// IsGitSource reports whether a --library value names a git source (it starts
// with "git+"), valid or not.
func IsGitSource(s string) bool { return strings.HasPrefix(s, "git+") }

// ParseGitSource is ParseGitURL with an error that says what to fix.
func ParseGitSource(s string) (cloneURL, branch string, err error) {
	const form = "write it as git+https://host/org/guides.git#branch, git+ssh://git@host/org/guides.git or git+file:///path/to/guides.git"
	rest, ok := strings.CutPrefix(s, "git+")
	if !ok {
		return "", "", fmt.Errorf("%s is not a git source: %s", RedactURL(s), form)
	}
	rest, branch, _ = strings.Cut(rest, "#")
	u, perr := url.Parse(rest)
	if perr != nil {
		return "", "", fmt.Errorf("git source %s is not a valid address: %s", RedactURL(s), form)
	}
	switch u.Scheme {
	case "https", "http", "ssh":
		if u.Host == "" || u.Path == "" || u.Path == "/" {
			return "", "", fmt.Errorf("git source %s needs a host and a repository path: %s", RedactURL(s), form)
		}
	case "file":
		if u.Host != "" || !strings.HasPrefix(u.Path, "/") || u.Path == "/" {
			return "", "", fmt.Errorf("git source %s needs an absolute path after file:// (three slashes: git+file:///path): %s", RedactURL(s), form)
		}
	default:
		return "", "", fmt.Errorf("git source %s: unsupported protocol %q: %s", RedactURL(s), u.Scheme, form)
	}
	if branch != "" {
		if err := plumbing.NewBranchReferenceName(branch).Validate(); err != nil || strings.HasPrefix(branch, "-") {
			return "", "", fmt.Errorf("git source %s: %q is not a valid branch name: fix the part after #", RedactURL(s), branch)
		}
	}
	return rest, branch, nil
}

// RedactURL returns u without user name and password, for status and logs.
func RedactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		// Not parseable: drop whatever sits between "://" and an "@".
		if i := strings.Index(u, "://"); i >= 0 {
			if j := strings.LastIndex(u, "@"); j > i {
				return u[:i+3] + u[j+1:]
			}
		}
		return u
	}
	if p.User == nil {
		return u
	}
	p.User = nil
	return p.String()
}

// GitSourceDir returns the folder under base for one source: a readable
// name from the host and repository plus a hash of the address (without
// credentials, so a new token keeps the same folder) and the branch.
func GitSourceDir(base, cloneURL, branch string) string {
	clean := RedactURL(cloneURL)
	sum := sha256.Sum256([]byte(clean + "#" + branch))
	slug := ""
	if u, err := url.Parse(clean); err == nil {
		slug = u.Host + "-" + strings.TrimSuffix(path.Base(u.Path), ".git")
	}
	slug = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, strings.Trim(slug, "-"))
	if len(slug) > 40 {
		slug = slug[:40]
	}
	name := hex.EncodeToString(sum[:6])
	if slug != "" {
		name = slug + "-" + name
	}
	return filepath.Join(base, name)
}

// OpenGit prepares a source whose working copies live under dir (see
// GitSourceDir). Nothing is read or written until Sync or Status.
func OpenGit(cloneURL, branch, dir string) *GitSource {
	return &GitSource{url: cloneURL, branch: branch, dir: dir}
}

// Path is the stable library root to scan and watch: <dir>/current, a
// symbolic link whose target changes atomically. It does not exist before
// the first successful sync.
func (g *GitSource) Path() string { return filepath.Join(g.dir, "current") }

func (g *GitSource) repoDir() string   { return filepath.Join(g.dir, "repo.git") }
func (g *GitSource) treesDir() string  { return filepath.Join(g.dir, "trees") }
func (g *GitSource) statePath() string { return filepath.Join(g.dir, "state.json") }

// Status reads the last recorded status (no network).
func (g *GitSource) Status() GitStatus {
	var st GitStatus
	if data, err := os.ReadFile(g.statePath()); err == nil {
		if err := json.Unmarshal(data, &st); err != nil {
			slog.Warn("git source state unreadable: starting afresh", "file", g.statePath(), "err", err)
			st = GitStatus{}
		}
	}
	st.URL = RedactURL(g.url)
	if st.Branch == "" {
		st.Branch = g.branch
	}
	cur := g.current()
	st.Ready = cur != ""
	if cur != st.Commit {
		// The switch happened but the state was not written (a crash in
		// between): the folder is the truth.
		st.Commit, st.CommitTime, st.Subject = cur, time.Time{}, ""
	}
	return st
}

// current returns the commit that Path points to, or "" when there is no
// complete working copy.
func (g *GitSource) current() string {
	target, err := os.Readlink(g.Path())
	if err != nil {
		return ""
	}
	name := filepath.Base(target)
	if !isHash(name) {
		return ""
	}
	if fi, err := os.Stat(filepath.Join(g.treesDir(), name)); err != nil || !fi.IsDir() {
		return ""
	}
	return name
}

func isHash(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

func short(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}

// Sync clones or fetches the branch and, when it moved, checks the new
// commit out and switches Path to it atomically. It returns the status
// either way; on error the last good working copy stays in place and the
// status records the error.
func (g *GitSource) Sync(ctx context.Context) (GitStatus, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.Status()
	st.LastAttempt = time.Now()
	st.Changed = false

	sctx, cancel := context.WithTimeout(ctx, GitTimeout)
	defer cancel()
	err := g.sync(sctx, &st)
	if err != nil && ctx.Err() != nil {
		// Cancelled by the caller (shutting down): not the remote's fault,
		// so nothing is recorded.
		return g.Status(), fmt.Errorf("sync guides from %s: %w", RedactURL(g.url), ctx.Err())
	}
	if err != nil {
		st.LastError = err.Error()
	} else {
		st.LastError = ""
		st.LastSync = st.LastAttempt
	}
	cur := g.current()
	st.Ready = cur != ""
	if werr := g.saveState(st); werr != nil {
		slog.Warn("git source: cannot save its state", "file", g.statePath(), "err", werr)
	}
	return st, err
}

func (g *GitSource) saveState(st GitStatus) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(g.statePath(), append(data, '\n'), 0o600)
}

func (g *GitSource) sync(ctx context.Context, st *GitStatus) error {
	if err := os.MkdirAll(g.dir, 0o700); err != nil {
		return fmt.Errorf("create the git source folder %s: %w", g.dir, err)
	}
	auth, err := gitAuth(g.url)
	if err != nil {
		return err
	}
	branch, remoteHash, err := g.remoteHead(ctx, auth)
	if err != nil {
		return err
	}
	repo, err := g.openRepo()
	if err != nil {
		return err
	}
	target, err := g.fetch(ctx, repo, auth, branch, remoteHash)
	if err != nil {
		return err
	}
	commit, err := repo.CommitObject(target)
	if err != nil {
		return fmt.Errorf("read commit %s: %w", short(target.String()), err)
	}

	prevBranch := st.Branch
	st.Branch = branch
	onDisk := g.current()
	if onDisk == target.String() {
		setCommit(st, commit)
		return nil
	}

	// Not a fast-forward? Say so, and follow the remote anyway (see the
	// comment at the top of this file).
	notice := ""
	var prev *object.Commit
	if onDisk != "" {
		prev, _ = repo.CommitObject(plumbing.NewHash(onDisk))
		switch {
		case prevBranch != "" && prevBranch != branch:
			notice = fmt.Sprintf("switched from branch %s to %s", prevBranch, branch)
		case prev == nil:
			// The repository was rebuilt and the old commit is gone: its
			// relation to the new one is unknown.
		default:
			ff, err := prev.IsAncestor(commit)
			if err != nil {
				return fmt.Errorf("compare commits %s and %s: %w", short(onDisk), short(target.String()), err)
			}
			if !ff {
				back, _ := commit.IsAncestor(prev)
				if back {
					notice = fmt.Sprintf("the remote branch %s was moved back to an older commit: now showing %s (was %s)",
						branch, short(target.String()), short(onDisk))
				} else {
					notice = fmt.Sprintf("remote history was rewritten (force-push on %s): now following the remote at %s; the copy at %s was replaced",
						branch, short(target.String()), short(onDisk))
				}
				slog.Warn("git source: not a fast-forward, following the remote", "url", RedactURL(g.url), "branch", branch,
					"from", short(onDisk), "to", short(target.String()))
			}
		}
	}

	files, err := g.checkout(ctx, repo, commit, prev, onDisk)
	if err != nil {
		return err
	}
	if err := g.switchTo(target.String()); err != nil {
		return err
	}
	g.prune(target.String(), onDisk)
	setCommit(st, commit)
	st.Notice = notice
	st.Changed = true
	slog.Info("guides updated from git", "url", RedactURL(g.url), "branch", branch,
		"from", short(onDisk), "to", short(target.String()), "files", files)
	return nil
}

func setCommit(st *GitStatus, c *object.Commit) {
	st.Commit = c.Hash.String()
	st.CommitTime = c.Committer.When
	st.Subject, _, _ = strings.Cut(strings.TrimSpace(c.Message), "\n")
}

// gitAuth picks credentials: the ssh agent for ssh, the address's user and
// password (or token) for https, none otherwise.
func gitAuth(cloneURL string) (transport.AuthMethod, error) {
	ep, err := transport.NewEndpoint(cloneURL)
	if err != nil {
		return nil, fmt.Errorf("git source %s: %w", RedactURL(cloneURL), err)
	}
	switch ep.Protocol {
	case "ssh":
		a, err := gitssh.NewSSHAgentAuth(ep.User)
		if err != nil {
			return nil, redacted(cloneURL, fmt.Errorf("no ssh agent to log in to %s with (%w): start ssh-agent and add your key with ssh-add, or use a git+https address", ep.Host, err))
		}
		return a, nil
	case "http", "https":
		if ep.User != "" || ep.Password != "" {
			return &githttp.BasicAuth{Username: ep.User, Password: ep.Password}, nil
		}
	}
	return nil, nil
}

// remoteHead lists the remote's references and returns the branch to follow
// (the default branch resolved when none was asked for) and its commit.
func (g *GitSource) remoteHead(ctx context.Context, auth transport.AuthMethod) (string, plumbing.Hash, error) {
	rem := git.NewRemote(memory.NewStorage(), &config.RemoteConfig{Name: "origin", URLs: []string{g.url}})
	refs, err := rem.ListContext(ctx, &git.ListOptions{Auth: auth})
	if err != nil {
		return "", plumbing.ZeroHash, g.remoteError(ctx, err)
	}
	byName := map[plumbing.ReferenceName]*plumbing.Reference{}
	var branches []string
	for _, r := range refs {
		byName[r.Name()] = r
		if r.Name().IsBranch() {
			branches = append(branches, r.Name().Short())
		}
	}
	sort.Strings(branches)
	branch := g.branch
	if branch == "" {
		head := byName[plumbing.HEAD]
		switch {
		case head != nil && head.Type() == plumbing.SymbolicReference && head.Target().IsBranch():
			branch = head.Target().Short()
		case len(branches) == 0:
			return "", plumbing.ZeroHash, fmt.Errorf("%s has no branches yet: push the guides to it first", RedactURL(g.url))
		default:
			return "", plumbing.ZeroHash, fmt.Errorf("%s does not say which branch is its default: add #branch to the address (branches: %s)",
				RedactURL(g.url), listSome(branches))
		}
	}
	ref := byName[plumbing.NewBranchReferenceName(branch)]
	if ref == nil || ref.Type() != plumbing.HashReference {
		if len(branches) == 0 {
			return "", plumbing.ZeroHash, fmt.Errorf("%s has no branches yet: push the guides to it first: %w", RedactURL(g.url), ErrBranchNotFound)
		}
		return "", plumbing.ZeroHash, fmt.Errorf("%w: %s has no branch %q; fix the #branch part of the address (branches: %s)",
			ErrBranchNotFound, RedactURL(g.url), branch, listSome(branches))
	}
	return branch, ref.Hash(), nil
}

func listSome(names []string) string {
	if len(names) > 8 {
		return strings.Join(names[:8], ", ") + fmt.Sprintf(" and %d more", len(names)-8)
	}
	return strings.Join(names, ", ")
}

// openRepo opens the bare repository, creating it when missing and
// re-creating it when it cannot be opened (it is only a cache of the remote;
// the working copy lives elsewhere and stays untouched).
func (g *GitSource) openRepo() (*git.Repository, error) {
	dir := g.repoDir()
	repo, err := git.PlainOpen(dir)
	if err == nil {
		return repo, nil
	}
	if _, serr := os.Stat(dir); serr == nil {
		slog.Warn("git source: repository cache unreadable, cloning again", "dir", dir, "err", err)
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("remove the broken repository cache %s: %w; remove it by hand", dir, err)
		}
	}
	repo, err = git.PlainInit(dir, true)
	if err != nil {
		return nil, fmt.Errorf("create repository cache %s: %w", dir, err)
	}
	// The address is kept without credentials; they are passed per fetch.
	if _, err := repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{RedactURL(g.url)}}); err != nil {
		return nil, fmt.Errorf("create repository cache %s: %w", dir, err)
	}
	return repo, nil
}

// fetch makes sure the repository holds want's history and returns the
// commit to show: want, or the branch's newer tip if it moved meanwhile.
func (g *GitSource) fetch(ctx context.Context, repo *git.Repository, auth transport.AuthMethod, branch string, want plumbing.Hash) (plumbing.Hash, error) {
	local := plumbing.NewRemoteReferenceName("origin", branch)
	if _, err := repo.CommitObject(want); err == nil {
		// Already here (nothing new, or the branch moved back): no fetch.
		if err := repo.Storer.SetReference(plumbing.NewHashReference(local, want)); err != nil {
			return plumbing.ZeroHash, fmt.Errorf("update %s in the repository cache: %w", local, err)
		}
		return want, nil
	}
	spec := config.RefSpec(fmt.Sprintf("+%s:%s", plumbing.NewBranchReferenceName(branch), local))
	err := repo.FetchContext(ctx, &git.FetchOptions{
		RemoteName: "origin",
		RemoteURL:  g.url,
		RefSpecs:   []config.RefSpec{spec},
		Auth:       auth,
		Tags:       git.NoTags,
		Force:      true,
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return plumbing.ZeroHash, g.remoteError(ctx, err)
	}
	ref, err := repo.Reference(local, true)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read %s after fetching: %w", local, err)
	}
	if _, err := repo.CommitObject(ref.Hash()); err != nil {
		// The cache is inconsistent; start it over on the next sync.
		os.RemoveAll(g.repoDir())
		return plumbing.ZeroHash, fmt.Errorf("fetched %s but commit %s is missing (%v): the repository cache was reset and will be fetched again on the next sync",
			branch, short(ref.Hash().String()), err)
	}
	return ref.Hash(), nil
}

// remoteError turns a transport error into one that says what to do, with
// no credentials in it.
func (g *GitSource) remoteError(ctx context.Context, err error) error {
	u := RedactURL(g.url)
	var nerr net.Error
	var dnsErr *net.DNSError
	var exitErr *exec.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded:
		err = fmt.Errorf("%s did not answer in time (%w): check the network connection", u, err)
	case errors.Is(err, transport.ErrRepositoryNotFound):
		err = fmt.Errorf("repository %s not found (%w): check the address in --library and that you have access to it", u, err)
	case errors.Is(err, transport.ErrEmptyRemoteRepository):
		err = fmt.Errorf("repository %s has no commits yet (%w): push the guides to it first", u, err)
	case errors.Is(err, transport.ErrAuthenticationRequired), errors.Is(err, transport.ErrAuthorizationFailed), errors.Is(err, transport.ErrInvalidAuthMethod):
		err = fmt.Errorf("%s refused access (%w): for git+https put a token in the address (git+https://TOKEN@host/...), for git+ssh add your key to the ssh agent with ssh-add", u, err)
	case strings.Contains(err.Error(), "knownhosts"):
		err = fmt.Errorf("the ssh host key of %s is not trusted (%w): connect once with ssh to add it to ~/.ssh/known_hosts", u, err)
	case errors.As(err, &exitErr) && strings.HasPrefix(u, "file:"):
		err = fmt.Errorf("git+file:// addresses need the git command (%w): install git, or use a git+https address", err)
	case errors.As(err, &dnsErr), errors.As(err, &nerr):
		err = fmt.Errorf("cannot reach %s (%w): check the network connection", u, err)
	default:
		err = fmt.Errorf("sync guides from %s: %w", u, err)
	}
	return redacted(g.url, err)
}

// redactedError hides the credentials of an address in an error's text.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func redacted(rawURL string, err error) error {
	msg := err.Error()
	if u, perr := url.Parse(rawURL); perr == nil && u.User != nil {
		name := u.User.Username()
		pass, _ := u.User.Password()
		for _, s := range []string{u.User.String() + "@", url.PathEscape(name) + ":***@", name + ":***@", name + "@"} {
			if s != "@" {
				msg = strings.ReplaceAll(msg, s, "")
			}
		}
		for _, s := range []string{pass, url.QueryEscape(pass)} {
			if len(s) >= 4 {
				msg = strings.ReplaceAll(msg, s, "***")
			}
		}
		if len(name) >= 16 { // a token given as the user name
			msg = strings.ReplaceAll(msg, name, "***")
		}
	}
	return &redactedError{msg: msg, err: err}
}

// checkout writes commit's tree into trees/<commit> (unless it is already
// there) and returns the number of files. Files unchanged since prev (whose
// tree is trees/<prevHex>) are hard-linked to it.
func (g *GitSource) checkout(ctx context.Context, repo *git.Repository, commit, prev *object.Commit, prevHex string) (int, error) {
	final := filepath.Join(g.treesDir(), commit.Hash.String())
	if fi, err := os.Lstat(final); err == nil && fi.IsDir() {
		return 0, nil // complete: only finished trees are renamed into place
	}
	if err := os.MkdirAll(g.treesDir(), 0o755); err != nil {
		return 0, fmt.Errorf("create %s: %w", g.treesDir(), err)
	}
	tmp, err := os.MkdirTemp(g.treesDir(), ".tmp-"+short(commit.Hash.String())+"-")
	if err != nil {
		return 0, fmt.Errorf("check out %s: %w", short(commit.Hash.String()), err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return 0, fmt.Errorf("check out %s: %w", short(commit.Hash.String()), err)
	}
	tree, err := commit.Tree()
	if err != nil {
		return 0, fmt.Errorf("check out %s: read its tree: %w", short(commit.Hash.String()), err)
	}
	co := &treeWriter{ctx: ctx, repo: repo, root: tmp}
	if prev != nil && prevHex != "" {
		if pt, err := prev.Tree(); err == nil {
			co.prevRoot = filepath.Join(g.treesDir(), prevHex)
			co.prev = map[string]object.TreeEntry{}
			// Only tree objects are read here; a missing one just means
			// fewer links.
			walk := object.NewTreeWalker(pt, true, nil)
			for {
				name, e, err := walk.Next()
				if err != nil {
					break
				}
				if e.Mode.IsFile() {
					co.prev[name] = e
				}
			}
			walk.Close()
		}
	}
	if err := co.tree(tree, ""); err != nil {
		return 0, fmt.Errorf("check out %s: %w", short(commit.Hash.String()), err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return 0, fmt.Errorf("check out %s: %w", short(commit.Hash.String()), err)
	}
	ok = true
	return co.files, nil
}

// treeWriter writes a git tree into a fresh folder. Every folder it writes
// into was created by it, and files are created exclusively, so no entry can
// write through a symbolic link or outside the folder.
type treeWriter struct {
	ctx      context.Context
	repo     *git.Repository
	root     string
	prevRoot string
	prev     map[string]object.TreeEntry
	files    int
}

// safeName reports whether a tree entry's name can be written as one path
// element inside the tree.
func safeName(name string) bool {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00") {
		return false
	}
	if runtime.GOOS == "windows" && strings.ContainsAny(name, `\:`) {
		return false
	}
	switch strings.ToLower(strings.TrimRight(name, ". ")) {
	case ".git", "git~1":
		return false
	}
	return true
}

func (w *treeWriter) tree(t *object.Tree, rel string) error {
	for _, e := range t.Entries {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		p := path.Join(rel, e.Name)
		if !safeName(e.Name) {
			slog.Warn("git source: skipping an entry whose name cannot be checked out safely", "path", p)
			continue
		}
		abs := filepath.Join(w.root, filepath.FromSlash(p))
		switch e.Mode {
		case filemode.Dir:
			if err := os.Mkdir(abs, 0o755); err != nil {
				// Two names that differ only in case, on a file system
				// that ignores case: merge into the folder already
				// written, but never write through anything else.
				fi, lerr := os.Lstat(abs)
				if !errors.Is(err, fs.ErrExist) || lerr != nil || !fi.IsDir() {
					slog.Warn("git source: skipping a folder whose name is taken", "path", p, "err", err)
					continue
				}
				slog.Warn("git source: merging folders whose names differ only in case", "path", p)
			}
			sub, err := w.repo.TreeObject(e.Hash)
			if err != nil {
				return fmt.Errorf("%s: read folder: %w", p, err)
			}
			if err := w.tree(sub, p); err != nil {
				return err
			}
		case filemode.Regular, filemode.Deprecated, filemode.Executable:
			perm := os.FileMode(0o644)
			if e.Mode == filemode.Executable {
				perm = 0o755
			}
			if err := w.file(p, abs, e, perm); errors.Is(err, fs.ErrExist) {
				slog.Warn("git source: skipping a file whose name is taken (names that differ only in case?)", "path", p)
				continue
			} else if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			w.files++
		case filemode.Symlink:
			w.symlink(p, abs, e)
		case filemode.Submodule:
			slog.Info("git source: submodules are not checked out", "path", p)
		default:
			slog.Warn("git source: skipping an entry of unknown type", "path", p, "mode", e.Mode.String())
		}
	}
	return nil
}

func (w *treeWriter) file(p, abs string, e object.TreeEntry, perm os.FileMode) error {
	// Unchanged since the previous tree: share its file, so it keeps its
	// modification time and the index sees it as unchanged.
	var prevInfo os.FileInfo
	if pe, ok := w.prev[p]; ok && pe.Hash == e.Hash && pe.Mode == e.Mode {
		src := filepath.Join(w.prevRoot, filepath.FromSlash(p))
		size, serr := w.repo.Storer.EncodedObjectSize(e.Hash)
		if fi, err := os.Lstat(src); err == nil && serr == nil && fi.Mode().IsRegular() && fi.Size() == size {
			if os.Link(src, abs) == nil {
				return nil
			}
			prevInfo = fi
		}
	}
	blob, err := w.repo.BlobObject(e.Hash)
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	r, err := blob.Reader()
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	defer r.Close()
	f, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && prevInfo != nil {
		err = os.Chtimes(abs, prevInfo.ModTime(), prevInfo.ModTime())
	}
	return err
}

// symlink recreates a symbolic link whose target stays inside the tree;
// others are skipped (the library scan would refuse them anyway).
func (w *treeWriter) symlink(p, abs string, e object.TreeEntry) {
	blob, err := w.repo.BlobObject(e.Hash)
	if err != nil || blob.Size > 4096 {
		slog.Warn("git source: skipping an unreadable symbolic link", "path", p, "err", err)
		return
	}
	r, err := blob.Reader()
	if err != nil {
		slog.Warn("git source: skipping an unreadable symbolic link", "path", p, "err", err)
		return
	}
	data, err := io.ReadAll(r)
	r.Close()
	target := string(data)
	if err != nil || target == "" || strings.ContainsRune(target, 0) {
		slog.Warn("git source: skipping an unreadable symbolic link", "path", p, "err", err)
		return
	}
	resolved := path.Join(path.Dir(p), target)
	if path.IsAbs(target) || filepath.IsAbs(target) || filepath.VolumeName(target) != "" ||
		resolved == ".." || strings.HasPrefix(resolved, "../") {
		slog.Warn("git source: skipping a symbolic link that points outside the library", "path", p, "target", target)
		return
	}
	if err := os.Symlink(filepath.FromSlash(target), abs); err != nil {
		slog.Warn("git source: cannot create a symbolic link, skipping it", "path", p, "err", err)
	}
}

// switchTo points Path at trees/<commit> by renaming a new symbolic link over
// the old one: readers see the old tree or the new one, nothing in between.
func (g *GitSource) switchTo(commit string) error {
	tmp := filepath.Join(g.dir, fmt.Sprintf(".current-%d-%s", os.Getpid(), short(commit)))
	os.Remove(tmp)
	if err := os.Symlink(filepath.Join("trees", commit), tmp); err != nil {
		return fmt.Errorf("switch the library to %s: %w (on Windows, symbolic links need Developer Mode)", short(commit), err)
	}
	if err := os.Rename(tmp, g.Path()); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("switch the library to %s: %w; if %s is a folder, move it away", short(commit), err, g.Path())
	}
	return nil
}

// prune removes every tree but the current and the previous one, and
// leftovers of interrupted syncs.
func (g *GitSource) prune(keep ...string) {
	ents, err := os.ReadDir(g.treesDir())
	if err != nil {
		return
	}
	for _, e := range ents {
		name := e.Name()
		kept := false
		for _, k := range keep {
			kept = kept || (k != "" && name == k)
		}
		if kept {
			continue
		}
		if err := os.RemoveAll(filepath.Join(g.treesDir(), name)); err != nil {
			slog.Warn("git source: cannot remove an old working copy", "dir", filepath.Join(g.treesDir(), name), "err", err)
		}
	}
	if ents, err := os.ReadDir(g.dir); err == nil {
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), ".current-") || strings.HasPrefix(e.Name(), ".state-") {
				os.Remove(filepath.Join(g.dir, e.Name()))
			}
		}
	}
}

// Run syncs every interval (DefaultGitInterval when 0) until ctx is done,
// the first time immediately, and reports each status to report (which may
// be nil). After a failure it retries sooner (GitRetry, doubling up to the
// interval), so a laptop that comes back online catches up quickly.
func (g *GitSource) Run(ctx context.Context, interval time.Duration, report func(GitStatus)) {
	if interval <= 0 {
		interval = DefaultGitInterval
	}
	retry := GitRetry
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		st, err := g.Sync(ctx)
		if ctx.Err() != nil {
			return
		}
		wait := interval
		if err != nil {
			slog.Warn("guides sync failed", "url", st.URL, "err", err)
			wait = min(retry, interval)
			retry = min(retry*2, interval)
		} else {
			retry = GitRetry
		}
		if report != nil {
			report(st)
		}
		timer.Reset(wait)
	}
}
