"""Issue comments and reactions."""

from __future__ import annotations

from tests.fakegithub.api.base import REPO, Handlers
from tests.fakegithub.routing import Call, Reply, Router, invalid, not_found
from tests.fakegithub.shapes import JSON
from tests.fakegithub.state import REACTION_CONTENTS, Comment, Reaction, Repo, now


class CommentRoutes(Handlers):
    """Comments on issues, and reactions on issues and comments."""

    def register(self, router: Router) -> None:
        router.add("GET", f"{REPO}/issues/comments/{{id:int}}", self.get_comment)
        router.add("PATCH", f"{REPO}/issues/comments/{{id:int}}", self.update_comment)
        router.add("DELETE", f"{REPO}/issues/comments/{{id:int}}", self.delete_comment)
        router.add("GET", f"{REPO}/issues/comments/{{id:int}}/reactions", self.list_comment_reactions)
        router.add("POST", f"{REPO}/issues/comments/{{id:int}}/reactions", self.create_comment_reaction)
        router.add("DELETE", f"{REPO}/issues/comments/{{id:int}}/reactions/{{rid:int}}", self.delete_comment_reaction)
        router.add("GET", f"{REPO}/issues/{{number:int}}/comments", self.list_comments)
        router.add("POST", f"{REPO}/issues/{{number:int}}/comments", self.create_comment)
        router.add("GET", f"{REPO}/issues/{{number:int}}/reactions", self.list_issue_reactions)
        router.add("POST", f"{REPO}/issues/{{number:int}}/reactions", self.create_issue_reaction)
        router.add("DELETE", f"{REPO}/issues/{{number:int}}/reactions/{{rid:int}}", self.delete_issue_reaction)

    def comment_json(self, repo: Repo, comment: Comment) -> JSON:
        return self.shapes.comment(repo, comment, self.world.app)

    def list_comments(self, call: Call) -> Reply:
        repo = self.repo(call)
        issue = self.issue(repo, call.arg_int("number"))
        comments = repo.issue_comments(issue.number)
        since = call.params.get("since")
        if since:
            comments = [c for c in comments if c.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ") >= since]
        return self.page(call, [self.comment_json(repo, c) for c in comments])

    def create_comment(self, call: Call) -> Reply:
        repo = self.repo(call)
        issue = self.issue(repo, call.arg_int("number"))
        text = call.json_object().get("body")
        if not isinstance(text, str) or not text:
            raise invalid(errors=[{"resource": "IssueComment", "code": "missing_field", "field": "body"}])
        self.check_body(text)
        assert call.caller.actor is not None
        stamp = now()
        comment = Comment(self.world.next_id(), issue.number, text, call.caller.actor, True, stamp, stamp)
        repo.comments[comment.id] = comment
        issue.updated_at = stamp
        return Reply(201, self.comment_json(repo, comment))

    def get_comment(self, call: Call) -> Reply:
        repo = self.repo(call)
        return Reply(200, self.comment_json(repo, self.comment(repo, call.arg_int("id"))))

    def update_comment(self, call: Call) -> Reply:
        repo = self.repo(call)
        comment = self.comment(repo, call.arg_int("id"))
        text = call.json_object().get("body")
        if not isinstance(text, str) or not text:
            raise invalid(errors=[{"resource": "IssueComment", "code": "missing_field", "field": "body"}])
        self.check_body(text)
        if text != comment.body:
            comment.body = text
            comment.updated_at = now()
        return Reply(200, self.comment_json(repo, comment))

    def delete_comment(self, call: Call) -> Reply:
        repo = self.repo(call)
        comment = self.comment(repo, call.arg_int("id"))
        del repo.comments[comment.id]
        return Reply(204)

    # -- reactions -------------------------------------------------------------------------

    def reaction_list(self, call: Call, reactions: list[Reaction]) -> Reply:
        content = call.params.get("content")
        chosen = [r for r in reactions if content in (None, "", r.content)]
        return self.page(call, [self.shapes.reaction(r) for r in chosen])

    def add_reaction(self, call: Call, reactions: list[Reaction]) -> Reply:
        content = call.json_object().get("content")
        if content not in REACTION_CONTENTS:
            raise invalid(errors=[{"resource": "Reaction", "code": "invalid", "field": "content"}])
        actor = call.caller.actor
        assert actor is not None
        for existing in reactions:
            if existing.user.login == actor.login and existing.content == content:
                return Reply(200, self.shapes.reaction(existing))
        reaction = Reaction(self.world.next_id(), actor, content, now())
        reactions.append(reaction)
        return Reply(201, self.shapes.reaction(reaction))

    @staticmethod
    def drop_reaction(reactions: list[Reaction], ident: int) -> Reply:
        for index, reaction in enumerate(reactions):
            if reaction.id == ident:
                del reactions[index]
                return Reply(204)
        raise not_found()

    def list_issue_reactions(self, call: Call) -> Reply:
        repo = self.repo(call)
        return self.reaction_list(call, self.issue(repo, call.arg_int("number")).reactions)

    def create_issue_reaction(self, call: Call) -> Reply:
        repo = self.repo(call)
        return self.add_reaction(call, self.issue(repo, call.arg_int("number")).reactions)

    def delete_issue_reaction(self, call: Call) -> Reply:
        repo = self.repo(call)
        return self.drop_reaction(self.issue(repo, call.arg_int("number")).reactions, call.arg_int("rid"))

    def list_comment_reactions(self, call: Call) -> Reply:
        repo = self.repo(call)
        return self.reaction_list(call, self.comment(repo, call.arg_int("id")).reactions)

    def create_comment_reaction(self, call: Call) -> Reply:
        repo = self.repo(call)
        return self.add_reaction(call, self.comment(repo, call.arg_int("id")).reactions)

    def delete_comment_reaction(self, call: Call) -> Reply:
        repo = self.repo(call)
        return self.drop_reaction(self.comment(repo, call.arg_int("id")).reactions, call.arg_int("rid"))
