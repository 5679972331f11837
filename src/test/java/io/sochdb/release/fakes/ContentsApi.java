package io.sochdb.release.fakes;

import static io.sochdb.release.fakes.FakeGitHubJson.MAPPER;
import static io.sochdb.release.fakes.FakeGitHubJson.message;
import static io.sochdb.release.fakes.FakeGitHubJson.notFound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sochdb.release.fakes.FakeGitHubServer.Reply;
import io.sochdb.release.fakes.FakeGitHubState.Repo;
import io.sochdb.release.fakes.RepoContents.Branch;
import io.sochdb.release.fakes.RepoContents.Pull;
import java.util.Base64;
import java.util.Map;

/**
 * The repository, git refs, contents and pulls endpoints, with GitHub's answers where clients can go wrong: 404 for a
 * missing ref or file, 422 for an existing ref, a missing {@code sha} on update or a second pull request for a
 * branch, and 409 for a stale {@code sha}.
 */
final class ContentsApi {

    private final FakeGitHubJson json;

    ContentsApi(FakeGitHubJson json) {
        this.json = json;
    }

    static boolean handles(String rest) {
        return rest.isEmpty() || rest.startsWith("/git/ref") || rest.startsWith("/contents/") || rest.equals("/pulls");
    }

    Reply route(Call call, Repo repo, String rest, JsonNode input) {
        RepoContents contents = repo.contents;
        String method = call.method;
        if (rest.isEmpty() && method.equals("GET")) {
            return new Reply(200, MAPPER.createObjectNode().put("name", repo.name.substring(repo.name.indexOf('/') + 1))
                .put("full_name", repo.name).put("default_branch", contents.defaultBranch).put("private", false));
        } else if (rest.startsWith("/git/ref/heads/") && method.equals("GET")) {
            String name = rest.substring("/git/ref/heads/".length());
            Branch branch = contents.branch(name, repo.refs);
            return branch == null ? new Reply(404, notFound()) : new Reply(200, ref(repo, name, branch));
        } else if (rest.equals("/git/refs") && method.equals("POST")) {
            return createRef(repo, input);
        } else if (rest.startsWith("/contents/") && (method.equals("GET") || method.equals("PUT"))) {
            String path = rest.substring("/contents/".length());
            return method.equals("GET") ? file(repo, path, call.params().getOrDefault("ref", contents.defaultBranch))
                : put(repo, path, input);
        } else if (rest.equals("/pulls") && method.equals("GET")) {
            Map<String, String> params = call.params();
            ArrayNode list = MAPPER.createArrayNode();
            String owner = repo.name.substring(0, repo.name.indexOf('/'));
            for (Pull pull : contents.pulls) {
                boolean head = !params.containsKey("head") || params.get("head").equals(owner + ":" + pull.head);
                boolean state = params.getOrDefault("state", "open").equals("all")
                    || params.getOrDefault("state", "open").equals(pull.state);
                if (head && state) {
                    list.add(pull(repo, pull));
                }
            }
            return new Reply(200, list);
        } else if (rest.equals("/pulls") && method.equals("POST")) {
            return createPull(repo, input);
        }
        return new Reply(404, notFound());
    }

    private Reply createRef(Repo repo, JsonNode input) {
        String ref = input.path("ref").asText("");
        String sha = input.path("sha").asText("");
        if (!ref.startsWith("refs/heads/") || ref.split("/").length < 3 || sha.isEmpty()) {
            return new Reply(422, message("Reference update failed"));
        }
        String name = ref.substring("refs/heads/".length());
        if (repo.contents.branch(name, repo.refs) != null) {
            return new Reply(422, message("Reference already exists"));
        }
        if (repo.contents.branches.values().stream().noneMatch(b -> b.head.equals(sha)) && !sha.equals(repo.refs.get(
            repo.contents.defaultBranch))) {
            return new Reply(422, message("Object does not exist"));
        }
        Branch branch = repo.contents.createBranch(name, sha, repo.refs);
        return new Reply(201, ref(repo, name, branch));
    }

    private Reply file(Repo repo, String path, String ref) {
        Branch branch = repo.contents.branch(ref, repo.refs);
        byte[] content = branch == null ? null : branch.files.get(path);
        if (content == null) {
            return new Reply(404, notFound());
        }
        // GitHub wraps the base64 at 60 characters.
        String encoded = Base64.getMimeEncoder(60, new byte[] {'\n'}).encodeToString(content) + "\n";
        ObjectNode node = fileNode(repo, path, content);
        node.put("encoding", "base64");
        node.put("content", encoded);
        return new Reply(200, node);
    }

    private Reply put(Repo repo, String path, JsonNode input) {
        String branchName = input.path("branch").asText(repo.contents.defaultBranch);
        Branch branch = repo.contents.branch(branchName, repo.refs);
        if (branch == null) {
            return new Reply(404, message("Branch " + branchName + " not found"));
        }
        if (!input.hasNonNull("message") || !input.hasNonNull("content")) {
            return new Reply(422, message("Invalid request.\n\n\"message\" and \"content\" are required."));
        }
        byte[] existing = branch.files.get(path);
        String sha = input.path("sha").asText(null);
        if (existing != null && sha == null) {
            return new Reply(422, message("Invalid request.\n\n\"sha\" wasn't supplied."));
        }
        if (existing != null && !sha.equals(RepoContents.blobSha(existing))) {
            return new Reply(409, message(path + " does not match " + sha));
        }
        byte[] content;
        try {
            content = Base64.getDecoder().decode(input.path("content").asText());
        } catch (IllegalArgumentException e) {
            return new Reply(422, message("content is not valid Base64"));
        }
        repo.contents.commit(branch, path, content, input.path("message").asText());
        ObjectNode body = MAPPER.createObjectNode();
        body.set("content", fileNode(repo, path, content));
        body.putObject("commit").put("sha", branch.head).put("message", input.path("message").asText());
        return new Reply(existing == null ? 201 : 200, body);
    }

    private Reply createPull(Repo repo, JsonNode input) {
        String head = input.path("head").asText("");
        String base = input.path("base").asText("");
        String owner = repo.name.substring(0, repo.name.indexOf('/'));
        String headBranch = head.startsWith(owner + ":") ? head.substring(owner.length() + 1) : head;
        Branch from = repo.contents.branch(headBranch, repo.refs);
        Branch to = repo.contents.branch(base, repo.refs);
        if (from == null || to == null || !input.hasNonNull("title")) {
            return new Reply(422, FakeGitHubJson.validation("PullRequest", "invalid", from == null ? "head" : "base"));
        }
        boolean open = repo.contents.pulls.stream().anyMatch(p -> p.head.equals(headBranch) && p.base.equals(base)
            && p.state.equals("open"));
        if (open) {
            ObjectNode body = message("Validation Failed");
            body.putArray("errors").addObject().put("resource", "PullRequest").put("code", "custom")
                .put("message", "A pull request already exists for " + owner + ":" + headBranch + ".");
            return new Reply(422, body);
        }
        if (from.head.equals(to.head)) {
            ObjectNode body = message("Validation Failed");
            body.putArray("errors").addObject().put("resource", "PullRequest").put("code", "custom")
                .put("message", "No commits between " + base + " and " + headBranch);
            return new Reply(422, body);
        }
        Pull pull = new Pull(repo.contents.pulls.size() + 1L, headBranch, base, input.path("title").asText(),
            input.path("body").asText(""));
        repo.contents.pulls.add(pull);
        return new Reply(201, pull(repo, pull));
    }

    private ObjectNode ref(Repo repo, String name, Branch branch) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("ref", "refs/heads/" + name);
        node.put("url", json.api() + "/repos/" + repo.name + "/git/refs/heads/" + name);
        node.putObject("object").put("sha", branch.head).put("type", "commit");
        return node;
    }

    private ObjectNode fileNode(Repo repo, String path, byte[] content) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", "file");
        node.put("name", path.substring(path.lastIndexOf('/') + 1));
        node.put("path", path);
        node.put("sha", RepoContents.blobSha(content));
        node.put("size", content.length);
        node.put("url", json.api() + "/repos/" + repo.name + "/contents/" + path);
        return node;
    }

    private ObjectNode pull(Repo repo, Pull pull) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("number", pull.number);
        node.put("state", pull.state);
        node.put("title", pull.title);
        node.put("body", pull.body);
        node.put("html_url", json.base + "/" + repo.name + "/pull/" + pull.number);
        node.putObject("head").put("ref", pull.head).put("label", repo.name.substring(0, repo.name.indexOf('/')) + ":"
            + pull.head);
        node.putObject("base").put("ref", pull.base);
        return node;
    }
}
