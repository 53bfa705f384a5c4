; perimeter benchmark query: no-public-access on principals-10 (principals)
; encoding: predicates (optimized, with simple case-sensitive globs as string predicates (prefix, suffix, contains) instead of regexes)
; sat iff the property fails (the check would report FAIL)
(set-logic ALL)
(declare-datatypes ((PrincipalKind 0)) (((ANONYMOUS) (ACCOUNT_ROOT) (USER) (ROLE) (ROLE_SESSION) (FEDERATED_USER) (SERVICE) (WEB_IDENTITY) (CANONICAL_USER))))
(declare-fun public.action () Int)
(declare-fun public.principal.account () String)
(declare-fun public.principal.has_account () Bool)
(declare-fun public.principal.arn () String)
(declare-fun public.principal.has_arn () Bool)
(declare-fun public.principal.role_arn () String)
(declare-fun public.principal.has_role_arn () Bool)
(declare-fun public.resource_account () String)
(declare-fun public.has_resource_account () Bool)
(declare-fun public.principal.name () String)
(declare-fun public.principal.has_name () Bool)
(declare-fun public.resource.plain () String)
(declare-fun |public.resource.arn[5]| () String)
(declare-fun |public.resource.arn[4]| () String)
(declare-fun |public.resource.arn[3]| () String)
(declare-fun |public.resource.arn[2]| () String)
(declare-fun |public.resource.arn[1]| () String)
(declare-fun public.resource.is_arn () Bool)
(declare-fun public.resource () String)
(declare-fun public.principal.path () String)
(declare-fun public.principal.partition () String)
(declare-fun public.principal.text () String)
(declare-fun public.principal.kind () PrincipalKind)
(declare-fun public.principal.session () String)
(declare-fun public.principal.provider () String)
(assert (and (>= public.action 0) (< public.action 22779)))
(assert (=> (not public.principal.has_account) (= public.principal.account "")))
(assert (=> (not public.principal.has_arn) (= public.principal.arn "")))
(assert (=> (not public.principal.has_role_arn) (= public.principal.role_arn "")))
(assert (=> (not public.has_resource_account) (= public.resource_account "")))
(assert (=> (not public.principal.has_name) (= public.principal.name "")))
(assert (str.in_re public.principal.account
           (re.* (re.union (re.range "\u{0}" "9") (re.range ";" "\u{2ffff}")))))
(assert (= public.resource
   (ite public.resource.is_arn
        (str.++ "arn:"
                |public.resource.arn[1]|
                ":"
                |public.resource.arn[2]|
                ":"
                |public.resource.arn[3]|
                ":"
                |public.resource.arn[4]|
                ":"
                |public.resource.arn[5]|)
        public.resource.plain)))
(assert (let ((a!1 (str.in_re |public.resource.arn[1]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!2 (str.in_re |public.resource.arn[2]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!3 (str.in_re |public.resource.arn[3]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!4 (str.in_re |public.resource.arn[4]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}"))))))
  (=> public.resource.is_arn (and a!1 a!2 a!3 a!4))))
(assert (let ((a!1 (re.++ (str.to_re "arn:")
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!2 (re.++ (re.++ a!1 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!3 (re.++ (re.++ a!2 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!4 (re.++ (re.++ a!3 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!5 (str.in_re public.resource.plain
                      (re.++ (re.++ a!4 (str.to_re ":")) (re.* re.allchar)))))
  (=> (not public.resource.is_arn) (not a!5))))))))
(assert (distinct public.resource ""))
(assert (let ((a!1 (re.opt (re.++ (re.+ (re.range "!" "~")) (str.to_re "/"))))
      (a!2 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!4 (re.union (re.union (re.union a!3 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and public.principal.has_account
                (str.in_re public.principal.account (re.* (re.range "0" "9")))
                (= (str.len public.principal.account) 12)
                public.principal.has_arn
                (= public.principal.text public.principal.arn)
                (= public.principal.partition "aws")
                (str.in_re public.principal.path a!1)
                (str.in_re public.principal.name (re.* a!4))
                (>= (str.len public.principal.name) 1)
                (<= (str.len public.principal.name) 64)
                (= public.principal.arn
                   (str.++ "arn:aws:iam::"
                           public.principal.account
                           ":user/"
                           public.principal.path
                           public.principal.name))
                (not public.principal.has_role_arn))))
  (or (not (= public.principal.kind USER)) a!5))))))
(assert (let ((a!1 (re.opt (re.++ (re.+ (re.range "!" "~")) (str.to_re "/"))))
      (a!2 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!4 (re.union (re.union (re.union a!3 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and public.principal.has_account
                (str.in_re public.principal.account (re.* (re.range "0" "9")))
                (= (str.len public.principal.account) 12)
                public.principal.has_arn
                (= public.principal.text public.principal.arn)
                (= public.principal.partition "aws")
                (str.in_re public.principal.path a!1)
                (str.in_re public.principal.name (re.* a!4))
                (>= (str.len public.principal.name) 1)
                (<= (str.len public.principal.name) 64)
                (= public.principal.arn
                   (str.++ "arn:aws:iam::"
                           public.principal.account
                           ":role/"
                           public.principal.path
                           public.principal.name))
                public.principal.has_role_arn
                (= public.principal.role_arn public.principal.arn))))
  (or (not (= public.principal.kind ROLE)) a!5))))))
(assert (let ((a!1 (re.opt (re.++ (re.+ (re.range "!" "~")) (str.to_re "/"))))
      (a!2 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!4 (re.union (re.union (re.union a!3 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and public.principal.has_account
                (str.in_re public.principal.account (re.* (re.range "0" "9")))
                (= (str.len public.principal.account) 12)
                public.principal.has_arn
                (= public.principal.text public.principal.arn)
                (= public.principal.partition "aws")
                (str.in_re public.principal.path a!1)
                (str.in_re public.principal.name (re.* a!4))
                (>= (str.len public.principal.name) 1)
                (<= (str.len public.principal.name) 64)
                (str.in_re public.principal.session (re.* a!4))
                (>= (str.len public.principal.session) 1)
                (<= (str.len public.principal.session) 64)
                (>= (str.len public.principal.session) 2)
                public.principal.has_role_arn
                (= public.principal.arn
                   (str.++ "arn:aws:sts::"
                           public.principal.account
                           ":assumed-role/"
                           public.principal.name
                           "/"
                           public.principal.session))
                (= public.principal.role_arn
                   (str.++ "arn:aws:iam::"
                           public.principal.account
                           ":role/"
                           public.principal.path
                           public.principal.name)))))
  (or (not (= public.principal.kind ROLE_SESSION)) a!5))))))
(assert (let ((a!1 (and public.principal.has_account
                (str.in_re public.principal.account (re.* (re.range "0" "9")))
                (= (str.len public.principal.account) 12)
                public.principal.has_arn
                (= public.principal.text public.principal.arn)
                (= public.principal.partition "aws")
                (not public.principal.has_role_arn)
                (not public.principal.has_name)
                (not (and (>= public.action 20986) (<= public.action 20988)))
                (= public.principal.arn
                   (str.++ "arn:aws:iam::" public.principal.account ":root")))))
  (or (not (= public.principal.kind ACCOUNT_ROOT)) a!1)))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+")))
      (a!4 (or (not (and (>= public.action 20986) (<= public.action 21002)))
               (= public.action 20992))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!5 (and public.principal.has_account
                (str.in_re public.principal.account (re.* (re.range "0" "9")))
                (= (str.len public.principal.account) 12)
                public.principal.has_arn
                (= public.principal.text public.principal.arn)
                (= public.principal.partition "aws")
                (str.in_re public.principal.name (re.* a!3))
                (>= (str.len public.principal.name) 1)
                (<= (str.len public.principal.name) 64)
                (not public.principal.has_role_arn)
                a!4
                (= public.principal.arn
                   (str.++ "arn:aws:sts::"
                           public.principal.account
                           ":federated-user/"
                           public.principal.name)))))
  (or (not (= public.principal.kind FEDERATED_USER)) a!5))))))
(assert (or (not (= public.principal.kind ANONYMOUS))
    (and (not public.principal.has_account)
         (not public.principal.has_arn)
         (not public.principal.has_role_arn)
         (not public.principal.has_name)
         (= public.principal.text "anonymous"))))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "0" "9"))
                               (str.to_re "."))
                     (str.to_re "-"))))
(let ((a!2 (re.++ (re.++ (re.union (re.range "a" "z") (re.range "0" "9"))
                         (re.* a!1))
                  (str.to_re ".amazonaws.com"))))
  (or (not (= public.principal.kind SERVICE))
      (and (not public.principal.has_account)
           (not public.principal.has_arn)
           (not public.principal.has_role_arn)
           (str.in_re public.principal.text a!2)
           (= public.principal.name public.principal.text))))))
(assert (let ((a!1 (and public.principal.has_account
                (str.in_re public.principal.account (re.* (re.range "0" "9")))
                (= (str.len public.principal.account) 12)
                public.principal.has_arn
                (not public.principal.has_role_arn)
                (= public.principal.partition "aws")
                (not public.principal.has_name)
                (= public.principal.text public.principal.arn)
                (> (str.len public.principal.provider) 0)
                (or (= public.principal.arn
                       (str.++ "arn:aws:iam::"
                               public.principal.account
                               ":oidc-provider/"
                               public.principal.provider))
                    (= public.principal.arn
                       (str.++ "arn:aws:iam::"
                               public.principal.account
                               ":saml-provider/"
                               public.principal.provider))))))
(let ((a!2 (or (and (not public.principal.has_account)
                    (not public.principal.has_arn)
                    (not public.principal.has_role_arn)
                    (or (= public.principal.text "accounts.google.com")
                        (= public.principal.text
                           "cognito-identity.amazonaws.com")
                        (= public.principal.text "graph.facebook.com")
                        (= public.principal.text "www.amazon.com"))
                    (= public.principal.name public.principal.text))
               a!1)))
(let ((a!3 (and (or (and (>= public.action 20987) (<= public.action 20988))
                    (= public.action 21000)
                    (= public.action 21002))
                a!2)))
  (or (not (= public.principal.kind WEB_IDENTITY)) a!3)))))
(assert (let ((a!1 (str.in_re public.principal.text
                      (re.* (re.union (re.range "0" "9") (re.range "a" "f"))))))
  (or (not (= public.principal.kind CANONICAL_USER))
      (and (not public.principal.has_account)
           (not public.principal.has_arn)
           (not public.principal.has_role_arn)
           (not public.principal.has_name)
           a!1
           (= (str.len public.principal.text) 64)
           (>= public.action 18153)
           (<= public.action 18333)))))
(assert (let ((a!1 (and (str.in_re public.resource_account (re.* (re.range "0" "9")))
                (= (str.len public.resource_account) 12))))
  (or (not public.has_resource_account) a!1)))
(assert (let ((a!1 (not (or (= public.action 18154)
                    (= public.action 18160)
                    (and (>= public.action 18162) (<= public.action 18163))
                    (= public.action 18171)
                    (= public.action 18173)
                    (and (>= public.action 18175) (<= public.action 18178))
                    (= public.action 18193)
                    (= public.action 18202)
                    (= public.action 18204)
                    (and (>= public.action 18207) (<= public.action 18223))
                    (and (>= public.action 18225) (<= public.action 18227))
                    (and (>= public.action 18229) (<= public.action 18230))
                    (= public.action 18251)
                    (and (>= public.action 18263) (<= public.action 18265))
                    (= public.action 18276)
                    (= public.action 18278)
                    (= public.action 18281)
                    (and (>= public.action 18285) (<= public.action 18301))
                    (and (>= public.action 18303) (<= public.action 18304))
                    (= public.action 18315)
                    (and (>= public.action 18327) (<= public.action 18329)))))
      (a!2 (str.in_re |public.resource.arn[2]|
                      (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "3"))))
      (a!3 (re.++ (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}")))
                  (str.to_re "/")))
      (a!5 (re.++ (str.to_re "accesspoint/")
                  (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}"))))))
(let ((a!4 (and (and public.resource.is_arn a!2)
                (= |public.resource.arn[3]| "")
                (= |public.resource.arn[4]| "")
                (str.in_re |public.resource.arn[5]|
                           (re.++ a!3 (re.* re.allchar)))))
      (a!6 (str.in_re |public.resource.arn[5]|
                      (re.++ (re.++ a!5 (str.to_re "/object/"))
                             (re.* re.allchar)))))
(let ((a!7 (not (or a!4 (and (and public.resource.is_arn a!2) a!6)))))
  (or a!1 a!7)))))
(assert (let ((a!1 (not (or (= public.action 18153)
                    (= public.action 18156)
                    (and (>= public.action 18181) (<= public.action 18186))
                    (and (>= public.action 18235) (<= public.action 18250))
                    (= public.action 18256)
                    (= public.action 18268)
                    (and (>= public.action 18270) (<= public.action 18271))
                    (= public.action 18275)
                    (and (>= public.action 18306) (<= public.action 18314))
                    (and (>= public.action 18318) (<= public.action 18322))
                    (= public.action 18332))))
      (a!2 (str.in_re |public.resource.arn[2]|
                      (re.++ (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "3"))))
      (a!3 (re.++ (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}")))
                  (str.to_re "/")))
      (a!5 (re.++ (str.to_re "accesspoint/")
                  (re.* (re.union (re.range "\u{0}" ".")
                                  (re.range "0" "\u{2ffff}"))))))
(let ((a!4 (not (str.in_re |public.resource.arn[5]|
                           (re.++ (re.++ a!3 re.allchar) (re.* re.allchar))))))
(let ((a!6 (not (or (and (and public.resource.is_arn a!2)
                         (= |public.resource.arn[3]| "")
                         (= |public.resource.arn[4]| "")
                         a!4)
                    (and (and public.resource.is_arn a!2)
                         (str.in_re |public.resource.arn[5]| a!5))))))
  (or a!1 a!6)))))
(assert public.has_resource_account)
(assert (not (and public.principal.has_account
          (= public.principal.account public.resource_account))))
(assert (or (not public.principal.has_account)
    (distinct public.principal.account "118617208525")))
(assert (or (not public.principal.has_account)
    (distinct public.principal.account "433624465974")))
(assert (or (not public.principal.has_account)
    (distinct public.principal.account "472678215160")))
(assert (or (not public.principal.has_account)
    (distinct public.principal.account "500075517353")))
(assert (or (not public.principal.has_account)
    (distinct public.principal.account "507442088781")))
(assert (or (not public.principal.has_account)
    (distinct public.principal.account "546891077393")))
(assert (or (not public.principal.has_account)
    (distinct public.principal.account "756705993431")))
(assert (or (not public.principal.has_account)
    (distinct public.principal.account "869793867490")))
(assert (or (not public.principal.has_account)
    (distinct public.principal.account "932013519884")))
(assert (or (not public.principal.has_account)
    (distinct public.principal.account "990169978194")))
(assert (or (not (and public.principal.has_account public.has_resource_account))
    (distinct public.principal.account public.resource_account)))
(assert (or (and (>= public.action 20986) (<= public.action 20988))
    (and (>= public.action 20999) (<= public.action 21000))
    (= public.action 21002)))
(assert (and public.resource.is_arn
     (= |public.resource.arn[1]| "aws")
     (= |public.resource.arn[2]| "iam")
     (= |public.resource.arn[3]| "")
     public.has_resource_account
     (= |public.resource.arn[4]| public.resource_account)
     (str.in_re |public.resource.arn[5]|
                (re.++ (str.to_re "role/") (re.+ re.allchar)))))
(assert (let ((a!1 (or (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "472678215160")
                    (= public.principal.name "deployer-0"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "990169978194")
                    (= public.principal.name "deployer-1"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "500075517353")
                    (= public.principal.name "deployer-2"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "932013519884")
                    (= public.principal.name "deployer-3"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "507442088781")
                    (= public.principal.name "deployer-4"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "118617208525")
                    (= public.principal.name "deployer-5"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "869793867490")
                    (= public.principal.name "deployer-6"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "433624465974")
                    (= public.principal.name "deployer-7"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "756705993431")
                    (= public.principal.name "deployer-8"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "546891077393")
                    (= public.principal.name "deployer-9"))))
      (a!2 (or (= public.principal.kind ANONYMOUS)
               (= public.principal.kind SERVICE)
               (= public.principal.kind WEB_IDENTITY)
               (= public.principal.kind CANONICAL_USER))))
(let ((a!3 (ite true
                (and (= public.action 20986) a!1 a!1)
                (or (and (= public.action 20986) a!1 a!1)
                    (or (= public.principal.kind ACCOUNT_ROOT) (not a!2)))))
      (a!4 (and (or (or (= public.principal.kind ACCOUNT_ROOT) (not a!2)) a!2)
                (and (= public.action 20986) a!1 a!1))))
(let ((a!5 (ite (or (not public.has_resource_account)
                    (and public.principal.has_account
                         (= public.resource_account public.principal.account)))
                a!3
                a!4)))
  (or (= public.action 20992) a!5)))))
(check-sat)
(exit)
