"""revmatch: explainable, exact pairing of mentors and executives."""
