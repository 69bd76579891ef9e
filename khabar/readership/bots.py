"""Which user agents are robots: CrawlerDetect's list (the crawlerdetect
package, kept in step with the PHP original's patterns), memoised because one
look-up costs about 0.3 ms and real traffic repeats few user agents."""

from crawlerdetect import CrawlerDetect

_detector = CrawlerDetect()
_seen: dict[str, bool] = {}
_SEEN_MAX = 10_000


def is_bot(user_agent: str) -> bool:
    found = _seen.get(user_agent)
    if found is None:
        # Every browser sends a user agent; an empty one is a script.
        found = not user_agent or _detector.isCrawler(user_agent)
        if len(_seen) >= _SEEN_MAX:
            _seen.clear()
        _seen[user_agent] = found
    return found
